using System.Net;
using Shop.Client.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Catalog;

/// <summary>Without a database the catalog runs on memory storage and the in-memory read model, same behaviour.</summary>
public sealed class CatalogEmbeddedTests
{
    [Fact]
    public async Task The_catalog_works_end_to_end_in_embedded_mode()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true, configure: CatalogClusterFixture.Configure);
        var admin = CatalogClusterFixture.Api(cluster, TestTokens.Admin());
        var shop = CatalogClusterFixture.Api(cluster, null);
        var root = await admin.CategoryAsync(name: "Tea");
        var child = await admin.CategoryAsync(root, "Green");
        var cheap = await admin.OnShelfAsync(CatalogSeed.Product(child, name: "Everyday green", price: 900));
        var dear = await admin.OnShelfAsync(CatalogSeed.Product(root, name: "Aged pu-erh", price: 99_000));
        await admin.DraftAsync(CatalogSeed.Product(child, name: "Unreleased green"));

        var byPrice = CatalogAssert.Ok(await shop.ListProductsAsync(categoryId: root, sort: "-price"));
        var green = CatalogAssert.Ok(await shop.ListProductsAsync(q: "GREEN"));

        Assert.Equal([dear.Id, cheap.Id], byPrice.Items.Select(i => i.Id));
        Assert.Equal(2, byPrice.Total);
        Assert.Equal([cheap.Id], green.Items.Select(i => i.Id));
        Assert.Equal("Everyday green", CatalogAssert.Ok(await shop.GetProductAsync(cheap.Id)).Name);
        CatalogAssert.Problem(await admin.DeleteCategoryAsync(child), HttpStatusCode.Conflict, "CATEGORY_IN_USE").Dispose();
    }
}
