using System.Net;
using Shop.Client.Catalog;

namespace Shop.Tests.Catalog;

/// <summary>Creates categories and products through the admin API (asserting each step worked).</summary>
public static class CatalogSeed
{
    public static async Task<string> CategoryAsync(this ICatalogApi admin, string? parentId = null, string? name = null)
    {
        var created = await admin.CreateCategoryAsync(new CreateCategoryRequest(name ?? "Cat " + Guid.NewGuid().ToString("N")[..8], parentId));
        return CatalogAssert.Ok(created, HttpStatusCode.Created).Id;
    }

    public static ProductRequest Product(string categoryId, string? name = null, long price = 1_999, string description = "A fine product") =>
        new(name ?? "Product " + Guid.NewGuid().ToString("N")[..8], description, price, categoryId,
            new Dictionary<string, string> { ["color"] = "red" }, "https://img.example.com/p.jpg");

    public static async Task<AdminProductResponse> DraftAsync(this ICatalogApi admin, ProductRequest request) =>
        CatalogAssert.Ok(await admin.CreateProductAsync(request), HttpStatusCode.Created);

    public static async Task<AdminProductResponse> OnShelfAsync(this ICatalogApi admin, ProductRequest request)
    {
        var draft = await admin.DraftAsync(request);
        return CatalogAssert.Ok(await admin.SetProductStatusAsync(draft.Id, new ProductStatusRequest(ProductStatuses.OnShelf)));
    }
}
