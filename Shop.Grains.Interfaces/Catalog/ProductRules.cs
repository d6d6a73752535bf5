using System.Collections.Immutable;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>
/// The product rules, in one place so that the API can refuse bad input before touching a grain and the grain, the
/// authority, applies exactly the same rules. Error keys are the JSON field names of the HTTP contract.
/// </summary>
public static class ProductRules
{
    public const int NameMinLength = 2;
    public const int NameMaxLength = 50;
    public const int DescriptionMaxLength = 2_000;
    public const long PriceMaxFen = 100_000_000;
    public const int MaxAttributes = 50;
    public const int AttributeKeyMaxLength = 50;
    public const int AttributeValueMaxLength = 500;
    public const int ImageUrlMaxLength = 2_048;

    /// <summary>The heaviest SKU weight (grams) a freight template charges by: 1,000 kg.</summary>
    public const int GramsMax = 1_000_000;

    /// <summary>Normalized content, or null with every failing field in <paramref name="errors"/>.</summary>
    /// <remarks>
    /// A product with options (<paramref name="pricedPerVariant"/>) has no price of its own: its variants have, and
    /// its content's price is left 0 for the caller to set to the lowest variant price.
    /// </remarks>
    public static ProductContent? TryNormalize(ProductDraft draft, out Dictionary<string, string[]> errors, bool pricedPerVariant = false)
    {
        var found = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!found.TryGetValue(field, out var list))
            {
                found[field] = list = [];
            }

            list.Add(message);
        }

        var name = draft.Name?.Trim() ?? "";
        if (name.Length is < NameMinLength or > NameMaxLength)
        {
            Fail("name", $"The name must be {NameMinLength} to {NameMaxLength} characters long (after trimming).");
        }

        var description = draft.Description?.Trim() ?? "";
        if (description.Length > DescriptionMaxLength)
        {
            Fail("description", $"The description must be at most {DescriptionMaxLength} characters long.");
        }

        if (pricedPerVariant)
        {
            if (draft.PriceFen is not null)
            {
                Fail("priceFen", "A product with options has no price of its own: give each variant its priceFen.");
            }
        }
        else if (draft.PriceFen is not { } price)
        {
            Fail("priceFen", "The price (in fen) is required.");
        }
        else if (price is <= 0 or > PriceMaxFen)
        {
            Fail("priceFen", $"The price must be more than 0 and at most {PriceMaxFen} fen.");
        }

        if (string.IsNullOrEmpty(draft.CategoryId))
        {
            Fail("categoryId", "The category is required.");
        }
        else if (!CategoryId.IsValid(draft.CategoryId))
        {
            Fail("categoryId", "The category id is malformed.");
        }

        var attributes = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (draft.Attributes is { } raw)
        {
            if (raw.Count > MaxAttributes)
            {
                Fail("attributes", $"At most {MaxAttributes} attributes are allowed.");
            }

            foreach (var (rawKey, rawValue) in raw)
            {
                var key = rawKey?.Trim() ?? "";
                if (key.Length is 0 or > AttributeKeyMaxLength)
                {
                    Fail("attributes", $"Attribute names must be 1 to {AttributeKeyMaxLength} characters long.");
                }
                else if ((rawValue?.Length ?? 0) > AttributeValueMaxLength)
                {
                    Fail("attributes", $"The value of attribute '{key}' must be at most {AttributeValueMaxLength} characters long.");
                }
                else if (!attributes.TryAdd(key, rawValue?.Trim() ?? ""))
                {
                    Fail("attributes", $"Attribute '{key}' is given twice.");
                }
            }
        }

        var imageUrl = string.IsNullOrWhiteSpace(draft.ImageUrl) ? null : draft.ImageUrl.Trim();
        if (!pricedPerVariant && draft.Variants is not null)
        {
            Fail("variants", "A product without options has exactly one variant, the product itself: declare options to give it variants.");
        }

        if (imageUrl is not null && !IsWebUrl(imageUrl))
        {
            Fail("imageUrl", $"The image URL must be an absolute http or https URL of at most {ImageUrlMaxLength} characters.");
        }

        // Shipping (Shop.Grains/Shipping): no template means the default one; grams go on the SKU.
        var template = string.IsNullOrWhiteSpace(draft.FreightTemplateId) ? null : draft.FreightTemplateId.Trim();
        if (template is not null && !Shipping.FreightTemplate.IsValidId(template))
        {
            Fail("freightTemplateId", "Must be a freight template id (GET /api/admin/freight-templates), or omitted for the default template.");
        }

        if (pricedPerVariant && draft.Grams is not null)
        {
            Fail("grams", "A product with options has no weight of its own: give each variant its grams.");
        }
        else if (draft.Grams is { } grams && grams is < 0 or > GramsMax)
        {
            Fail("grams", $"The weight must be 0 to {GramsMax} grams.");
        }

        errors = found.ToDictionary(f => f.Key, f => f.Value.Distinct().ToArray());
        return errors.Count > 0
            ? null
            : new ProductContent(name, description, pricedPerVariant ? 0 : draft.PriceFen!.Value, draft.CategoryId!, attributes.ToImmutable(), imageUrl,
                template == Shipping.FreightTemplate.DefaultId ? null : template);
    }

    internal static bool IsWebUrl(string url) =>
        url.Length <= ImageUrlMaxLength &&
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        !string.IsNullOrEmpty(uri.Host);
}
