using System.Collections.Immutable;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>The product's SKUs: the lookup orders and carts make per line, and the merchant's variant edits.</summary>
public sealed partial class ProductGrain
{
    public Task<SkuDetails?> GetSkuAsync(string skuId) =>
        Task.FromResult(Product is { Deleted: false } product && product.Sku(skuId) is { } variant ? product.ToSku(variant) : null);

    public async Task<ProductOutcome> AddVariantAsync(string skuId, VariantDraft draft, long? expectedVersion)
    {
        if (Current(expectedVersion) is { } refused)
        {
            return refused;
        }

        var product = Product!;
        if (!SkuId.IsValid(skuId) || SkuId.ProductOf(skuId) != product.Id || skuId == product.Id)
        {
            throw new ArgumentException($"'{skuId}' is not a new SKU id of {product.Id}.", nameof(skuId));
        }

        if (!product.HasOptions)
        {
            return ProductOutcome.Invalid("options", "This product has no options, so it is a single SKU (its own id). Create a product with options to sell variants.");
        }

        if (product.Sku(skuId) is not null)
        {
            return new ProductOutcome(ProductOutcomeStatus.AlreadyExists, product);
        }

        var variant = ProductVariantRules.TryNormalizeFor(product, draft, replacing: -1, out var errors);
        return variant is null
            ? ProductOutcome.Invalid(errors)
            : await CommitAsync(WithVariants(product, product.Skus.Add(variant with { SkuId = skuId })));
    }

    public async Task<ProductOutcome> UpdateVariantAsync(string skuId, VariantDraft draft, long? expectedVersion)
    {
        if (Current(expectedVersion) is { } refused)
        {
            return refused;
        }

        var product = Product!;
        var index = product.Skus.FindIndex(v => v.SkuId == skuId);
        if (index < 0)
        {
            return new ProductOutcome(ProductOutcomeStatus.SkuNotFound, product);
        }

        var existing = product.Skus[index];
        var variant = ProductVariantRules.TryNormalizeFor(product, draft with { OnShelf = draft.OnShelf ?? existing.OnShelf }, index, out var errors);
        if (variant is null)
        {
            return ProductOutcome.Invalid(errors);
        }

        variant = variant with { SkuId = skuId };
        // Records compare lists by reference: an unchanged spec is compared by value, then the rest by the record.
        return variant.Spec.SequenceEqual(existing.Spec) && variant with { Spec = existing.Spec } == existing
            ? ProductOutcome.Ok(product)
            : await CommitAsync(WithVariants(product, product.Skus.SetItem(index, variant)));
    }

    public async Task<ProductOutcome> SetVariantShelfAsync(string skuId, bool onShelf, long? expectedVersion)
    {
        if (Current(expectedVersion) is { } refused)
        {
            return refused;
        }

        var product = Product!;
        var index = product.Skus.FindIndex(v => v.SkuId == skuId);
        if (index < 0)
        {
            return new ProductOutcome(ProductOutcomeStatus.SkuNotFound, product);
        }

        return product.Skus[index].OnShelf == onShelf
            ? ProductOutcome.Ok(product)
            : await CommitAsync(WithVariants(product, product.Skus.SetItem(index, product.Skus[index] with { OnShelf = onShelf })));
    }

    /// <summary>
    /// The next version with these SKUs stored explicitly (a product stored before variants gets its single SKU
    /// written out) and the product's shown price following them: its only SKU's, or the lowest on-shelf one.
    /// </summary>
    private ProductDetails WithVariants(ProductDetails product, ImmutableList<ProductVariant> variants)
    {
        var price = product.HasOptions ? ProductVariantRules.LowestPrice(variants) : variants[0].PriceFen;
        return Next(product with { Content = product.Content with { PriceFen = price }, Options = product.OptionNames, Variants = variants });
    }

    /// <summary>Options are fixed at creation, and a product's variants change only through the variant commands.</summary>
    private static void CheckFixedShape(ProductDetails product, ProductDraft draft, Dictionary<string, string[]> errors)
    {
        if (draft.Options is { } options && !options.Select(o => o?.Trim()).SequenceEqual(product.OptionNames))
        {
            errors["options"] = ["A product's options are fixed when it is created."];
        }

        if (product.HasOptions && draft.Variants is not null)
        {
            errors["variants"] = ["Change variants with the variant endpoints (/api/admin/products/{id}/variants)."];
        }
    }
}
