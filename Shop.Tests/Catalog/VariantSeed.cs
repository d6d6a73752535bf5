using System.Net;
using Shop.Client.Catalog;
using Shop.Client.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Catalog;

/// <summary>Products with options, made through the admin API, with stock put on each SKU through the admin stock API.</summary>
public static class VariantSeed
{
    public static VariantRequest Variant(string color, long price, string? barcode = null, string? size = null) =>
        new(size is null ? new Dictionary<string, string> { ["颜色"] = color } : new Dictionary<string, string> { ["颜色"] = color, ["尺码"] = size },
            price, Barcode: barcode);

    /// <summary>A T-shirt with one option (颜色) in white (9,900 fen) and black (10,900 fen), on the shelf.</summary>
    public static ProductRequest TShirt(string categoryId, params VariantRequest[] variants) =>
        new("T-shirt " + Guid.NewGuid().ToString("N")[..8], "Cotton", null, categoryId, Options: ["颜色"],
            Variants: variants.Length > 0 ? variants : [Variant("白", 9_900, "690000000001"), Variant("黑", 10_900, "690000000002")]);

    public static async Task<AdminProductResponse> OnShelfWithVariantsAsync(this ICatalogApi admin, ProductRequest request) =>
        await admin.OnShelfAsync(request);

    public static AdminVariantResponse Sku(this AdminProductResponse product, string color) =>
        Assert.Single(product.Variants, v => v.Spec.Any(s => s.Name == "颜色" && s.Value == color));

    /// <summary>Adds <paramref name="delta"/> units to one SKU through <c>POST /api/admin/products/{skuId}/stock</c>.</summary>
    public static async Task<StockLevelsResponse> RestockAsync(this ShopTestCluster cluster, string skuId, long delta) =>
        await StockApiClient.Create(cluster.CreateClient(TestTokens.Admin()))
            .AdjustStockAsync(skuId, new AdjustStockRequest(delta, "restock"), Guid.NewGuid().ToString());

    public static ICatalogApi Anonymous(this ShopTestCluster cluster) => CatalogApiClient.Create(cluster.CreateClient());

    public static T Created<T>(Refit.IApiResponse<T> response) => CatalogAssert.Ok(response, HttpStatusCode.Created);
}
