using System.Collections.Immutable;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>A product about to be created: its content, option names, and variants (SKU ids not assigned yet).</summary>
public sealed record NewProduct(ProductContent Content, ImmutableList<string> Options, ImmutableList<ProductVariant> Variants);

/// <summary>
/// The variant rules, shared by the API (to refuse bad input early) and the product grain (the authority). Error keys
/// are the JSON field names of the HTTP contract: <c>options</c>, <c>variants[i].spec</c>, ... for a new product, and
/// <c>spec</c>, <c>priceFen</c>, ... for a single variant.
/// </summary>
public static class ProductVariantRules
{
    public const int MaxOptions = 3;
    public const int OptionNameMaxLength = 20;
    public const int SpecValueMaxLength = 40;
    public const int MaxVariants = 100;
    public const int BarcodeMaxLength = 64;

    /// <summary>A product to create (with or without options), or null with every failing field in <paramref name="errors"/>.</summary>
    public static NewProduct? TryNormalizeNew(ProductDraft draft, out Dictionary<string, string[]> errors)
    {
        var withOptions = draft.Options is { Count: > 0 };
        var content = ProductRules.TryNormalize(draft, out errors, pricedPerVariant: withOptions);
        var found = new FieldErrors(errors);
        if (!withOptions)
        {
            return content is null ? null : new NewProduct(content, [], [new ProductVariant("", [], content.PriceFen, null, null, OnShelf: true, draft.Grams)]);
        }

        var options = NormalizeOptions(draft.Options!, found);
        var variants = ImmutableList.CreateBuilder<ProductVariant>();
        if (draft.Variants is not { Count: > 0 } drafts)
        {
            found.Fail("variants", "A product with options needs at least one variant.");
        }
        else if (drafts.Count > MaxVariants)
        {
            found.Fail("variants", $"At most {MaxVariants} variants per product.");
        }
        else if (options is not null)
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                if (TryNormalize(drafts[i], options, $"variants[{i}].", found) is { } variant)
                {
                    variants.Add(variant);
                }
            }

            if (variants.Count == drafts.Count)
            {
                CheckUnique(variants, -1, i => $"variants[{i}].", found);
            }
        }

        errors = found.ToDictionary();
        return errors.Count > 0 ? null : new NewProduct(content! with { PriceFen = LowestPrice(variants) }, options!, variants.ToImmutable());
    }

    /// <summary>
    /// One variant for <paramref name="product"/>, replacing the SKU at <paramref name="replacing"/> (or added when -1),
    /// checked against the others; null with the failing fields in <paramref name="errors"/>.
    /// </summary>
    public static ProductVariant? TryNormalizeFor(ProductDetails product, VariantDraft draft, int replacing, out Dictionary<string, string[]> errors)
    {
        var found = new FieldErrors([]);
        var variant = TryNormalize(draft, product.OptionNames, "", found);
        if (variant is not null)
        {
            var all = product.Skus.ToBuilder();
            if (replacing < 0)
            {
                if (all.Count >= MaxVariants)
                {
                    found.Fail("variants", $"At most {MaxVariants} variants per product.");
                }

                all.Add(variant);
            }
            else
            {
                all[replacing] = variant;
            }

            CheckUnique(all, replacing < 0 ? all.Count - 1 : replacing, _ => "", found);
        }

        errors = found.ToDictionary();
        return errors.Count > 0 ? null : variant;
    }

    /// <summary>
    /// Options given to a product created without them: its one SKU becomes the first variant, with these spec values
    /// and its id, price, image and shelf state unchanged (so its stock and open orders stay valid). Null with the
    /// failing fields (<c>options</c>, <c>spec</c>) in <paramref name="errors"/>.
    /// </summary>
    public static NewProduct? TryAddOptions(ProductDetails product, IReadOnlyList<string>? options, IReadOnlyDictionary<string, string>? spec,
        out Dictionary<string, string[]> errors)
    {
        var found = new FieldErrors([]);
        ProductVariant? first = null;
        ImmutableList<string>? names = null;
        if (product.HasOptions)
        {
            found.Fail("options", "This product already has options; they are fixed. Add variants with POST /api/admin/products/{id}/variants.");
        }
        else if (options is not { Count: > 0 })
        {
            found.Fail("options", $"Required: 1 to {MaxOptions} option names (e.g. 颜色, 尺码).");
        }
        else if ((names = NormalizeOptions(options, found)) is not null)
        {
            var only = product.Skus[0];
            first = TryNormalize(new VariantDraft(spec, only.PriceFen, only.ImageUrl, only.Barcode, only.OnShelf), names, "", found) is { } variant
                ? variant with { SkuId = only.SkuId }
                : null;
        }

        errors = found.ToDictionary();
        return errors.Count > 0 || first is null ? null : new NewProduct(product.Content, names!, [first]);
    }

    /// <summary>What a product with variants shows as its price: the lowest on-shelf variant price (the lowest of all when none is on the shelf).</summary>
    public static long LowestPrice(IReadOnlyCollection<ProductVariant> variants) =>
        variants.Where(v => v.OnShelf).Select(v => v.PriceFen).DefaultIfEmpty(variants.Min(v => v.PriceFen)).Min();

    private static ImmutableList<string>? NormalizeOptions(IReadOnlyList<string> raw, FieldErrors errors)
    {
        if (raw.Count > MaxOptions)
        {
            errors.Fail("options", $"At most {MaxOptions} options (e.g. 颜色, 尺码).");
            return null;
        }

        var names = raw.Select(n => n?.Trim() ?? "").ToImmutableList();
        if (names.Any(n => n.Length is 0 or > OptionNameMaxLength))
        {
            errors.Fail("options", $"Option names must be 1 to {OptionNameMaxLength} characters long.");
            return null;
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            errors.Fail("options", "Option names must be different from each other.");
            return null;
        }

        return names;
    }

    /// <summary>The variant with its spec in option order and the SKU id left empty, or null (errors under <paramref name="prefix"/>).</summary>
    private static ProductVariant? TryNormalize(VariantDraft draft, ImmutableList<string> options, string prefix, FieldErrors errors)
    {
        var before = errors.Count;
        var spec = ImmutableList.CreateBuilder<string>();
        var given = draft.Spec ?? new Dictionary<string, string>();
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawName, rawValue) in given)
        {
            var name = rawName?.Trim() ?? "";
            if (!options.Contains(name))
            {
                errors.Fail(prefix + "spec", options.Count == 0
                    ? "This product has no options: its variant has no spec."
                    : $"Unknown option '{name}': the product's options are {string.Join(", ", options)}.");
            }
            else if (!byName.TryAdd(name, rawValue?.Trim() ?? ""))
            {
                errors.Fail(prefix + "spec", $"Option '{name}' is given twice.");
            }
        }

        foreach (var option in options)
        {
            if (!byName.TryGetValue(option, out var value) || value.Length is 0 or > SpecValueMaxLength)
            {
                errors.Fail(prefix + "spec", $"Option '{option}' needs a value of 1 to {SpecValueMaxLength} characters.");
            }
            else
            {
                spec.Add(value);
            }
        }

        if (draft.PriceFen is not { } price || price is <= 0 or > ProductRules.PriceMaxFen)
        {
            errors.Fail(prefix + "priceFen", $"Required: more than 0 and at most {ProductRules.PriceMaxFen} fen.");
        }

        var imageUrl = string.IsNullOrWhiteSpace(draft.ImageUrl) ? null : draft.ImageUrl.Trim();
        if (imageUrl is not null && !ProductRules.IsWebUrl(imageUrl))
        {
            errors.Fail(prefix + "imageUrl", $"The image URL must be an absolute http or https URL of at most {ProductRules.ImageUrlMaxLength} characters.");
        }

        var barcode = string.IsNullOrWhiteSpace(draft.Barcode) ? null : draft.Barcode.Trim();
        if (barcode is not null && (barcode.Length > BarcodeMaxLength || barcode.Any(c => c is < '!' or > '~')))
        {
            errors.Fail(prefix + "barcode", $"At most {BarcodeMaxLength} visible ASCII characters (letters, digits, punctuation).");
        }

        if (draft.Grams is { } grams && grams is < 0 or > ProductRules.GramsMax)
        {
            errors.Fail(prefix + "grams", $"The weight must be 0 to {ProductRules.GramsMax} grams.");
        }

        return errors.Count > before ? null : new ProductVariant("", spec.ToImmutable(), draft.PriceFen!.Value, imageUrl, barcode, draft.OnShelf ?? true, draft.Grams);
    }

    /// <summary>No two variants share a spec or a barcode; only <paramref name="checkOnly"/> is blamed when it is not -1.</summary>
    private static void CheckUnique(IReadOnlyList<ProductVariant> variants, int checkOnly, Func<int, string> prefix, FieldErrors errors)
    {
        for (var i = 0; i < variants.Count; i++)
        {
            if (checkOnly >= 0 && i != checkOnly)
            {
                continue;
            }

            for (var j = 0; j < variants.Count; j++)
            {
                if (j == i || (checkOnly < 0 && j > i))
                {
                    continue;
                }

                if (variants[i].Spec.SequenceEqual(variants[j].Spec, StringComparer.Ordinal))
                {
                    errors.Fail(prefix(i) + "spec", $"Another variant ({variants[j].SkuId switch { "" => $"variants[{j}]", var id => id }}) has the same spec: each combination of option values is one SKU.");
                }

                if (variants[i].Barcode is { } barcode && barcode == variants[j].Barcode)
                {
                    errors.Fail(prefix(i) + "barcode", $"The barcode '{barcode}' is already used by another variant of this product.");
                }
            }
        }
    }
}
