using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>
/// What a listing row says about a product's SKUs: its price range (price_fen is the content's, the lowest on-shelf
/// price), how many SKUs it has, and for a product with options which SKUs' stock to sum (null: the product is its
/// own single SKU and its row holds that SKU's stock).
/// </summary>
internal sealed record CatalogListing(long MaxPriceFen, int VariantCount, string[]? OnShelfSkus)
{
    public static CatalogListing Of(ProductDetails product)
    {
        var skus = product.Skus;
        var onShelf = skus.Where(v => v.OnShelf).ToList();
        var max = (onShelf.Count > 0 ? onShelf : [.. skus]).Max(v => v.PriceFen);
        return new CatalogListing(max, skus.Count, product.HasOptions ? [.. onShelf.Select(v => v.SkuId)] : null);
    }
}
