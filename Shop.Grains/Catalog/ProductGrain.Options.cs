using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>Options added after creation: a merchant's single-SKU product starts selling variants without a new product id.</summary>
public sealed partial class ProductGrain
{
    public async Task<ProductOutcome> AddOptionsAsync(IReadOnlyList<string>? options, IReadOnlyDictionary<string, string>? spec, long? expectedVersion)
    {
        if (Current(expectedVersion) is { } refused)
        {
            return refused;
        }

        var product = Product!;
        if (IsRepeat(product, options, spec))
        {
            return ProductOutcome.Ok(product);
        }

        var shaped = ProductVariantRules.TryAddOptions(product, options, spec, out var errors);
        return shaped is null
            ? ProductOutcome.Invalid(errors)
            : await CommitAsync(WithVariants(product with { Options = shaped.Options }, shaped.Variants));
    }

    /// <summary>The same options and first spec as this product already has: a retried request, not a second change.</summary>
    private static bool IsRepeat(ProductDetails product, IReadOnlyList<string>? options, IReadOnlyDictionary<string, string>? spec) =>
        product.HasOptions && options is not null && spec is not null
        && options.Select(o => o?.Trim()).SequenceEqual(product.OptionNames)
        && product.Skus.Find(v => v.SkuId == product.Id) is { } first
        && product.OptionNames.Select(o => spec.GetValueOrDefault(o)?.Trim()).SequenceEqual(first.Spec);
}
