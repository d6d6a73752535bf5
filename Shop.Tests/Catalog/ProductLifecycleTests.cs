using System.Net;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Tests.Catalog;

[Collection(CatalogCollection.Name)]
public sealed class ProductLifecycleTests(CatalogClusterFixture fixture)
{
    private readonly ICatalogApi _admin = fixture.Admin;
    private readonly ICatalogApi _shop = fixture.Anonymous;

    [Fact]
    public async Task A_created_product_is_a_draft_with_a_new_unguessable_id_and_a_location()
    {
        var category = await _admin.CategoryAsync();
        var response = await _admin.CreateProductAsync(CatalogSeed.Product(category, name: "  Oolong  ", price: 3_800));
        var product = CatalogAssert.Ok(response, HttpStatusCode.Created);
        var other = await _admin.DraftAsync(CatalogSeed.Product(category));

        Assert.True(ProductId.IsValid(product.Id));
        Assert.NotEqual(product.Id, other.Id);
        Assert.Equal($"/api/admin/products/{product.Id}", response.Headers?.Location?.OriginalString);
        Assert.Equal(("Oolong", 3_800L, ProductStatuses.Draft, 1L), (product.Name, product.PriceFen, product.Status, product.Version));
        Assert.Equal(TimeSpan.Zero, product.CreatedAt.Offset);
        Assert.InRange(product.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        CatalogAssert.SameProduct(product, CatalogAssert.Ok(await _admin.GetAdminProductAsync(product.Id)));
        CatalogAssert.Problem(await _shop.GetProductAsync(product.Id), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
    }

    [Fact]
    public async Task On_the_shelf_the_storefront_shows_it_and_off_the_shelf_it_is_gone_again()
    {
        var product = await _admin.DraftAsync(CatalogSeed.Product(await _admin.CategoryAsync(), name: "Pu-erh"));

        var onShelf = CatalogAssert.Ok(await _admin.SetProductStatusAsync(product.Id, new ProductStatusRequest(ProductStatuses.OnShelf)));
        var shown = CatalogAssert.Ok(await _shop.GetProductAsync(product.Id));
        var offShelf = CatalogAssert.Ok(await _admin.SetProductStatusAsync(product.Id, new ProductStatusRequest(ProductStatuses.OffShelf)));

        Assert.Equal((ProductStatuses.OnShelf, 2L), (onShelf.Status, onShelf.Version));
        Assert.Equal(("Pu-erh", "red"), (shown.Name, shown.Attributes["color"]));
        Assert.Equal((ProductStatuses.OffShelf, 3L), (offShelf.Status, offShelf.Version));
        CatalogAssert.Problem(await _shop.GetProductAsync(product.Id), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
    }

    [Fact]
    public async Task Each_change_bumps_the_version_once_and_a_repeated_identical_change_does_not()
    {
        var category = await _admin.CategoryAsync();
        var product = await _admin.DraftAsync(CatalogSeed.Product(category, name: "Same"));
        var edit = CatalogSeed.Product(category, name: "Edited", price: 777);

        var first = CatalogAssert.Ok(await _admin.UpdateProductAsync(product.Id, edit));
        var again = CatalogAssert.Ok(await _admin.UpdateProductAsync(product.Id, edit));
        var shelved = CatalogAssert.Ok(await _admin.SetProductStatusAsync(product.Id, new ProductStatusRequest(ProductStatuses.OnShelf)));
        var shelvedAgain = CatalogAssert.Ok(await _admin.SetProductStatusAsync(product.Id, new ProductStatusRequest(ProductStatuses.OnShelf)));

        Assert.Equal([2L, 2L, 3L, 3L], new[] { first.Version, again.Version, shelved.Version, shelvedAgain.Version });
        Assert.True(first.UpdatedAt > product.UpdatedAt);
        Assert.Equal(product.CreatedAt, first.CreatedAt);
    }

    [Fact]
    public async Task A_stale_version_in_If_Match_or_in_the_body_is_409_and_changes_nothing()
    {
        var category = await _admin.CategoryAsync();
        var product = await _admin.DraftAsync(CatalogSeed.Product(category));
        var first = CatalogAssert.Ok(await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "First"), ifMatch: "\"1\""));

        var staleHeader = await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "Lost"), ifMatch: "\"1\"");
        var staleBody = await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "Lost") with { Version = 1 });
        var staleStatus = await _admin.SetProductStatusAsync(product.Id, new ProductStatusRequest(ProductStatuses.OnShelf, Version: 1));

        Assert.Equal(2, first.Version);
        foreach (var stale in new Refit.IApiResponse[] { staleHeader, staleBody, staleStatus })
        {
            CatalogAssert.Problem(stale, HttpStatusCode.Conflict, "VERSION_CONFLICT").Dispose();
        }

        var current = CatalogAssert.Ok(await _admin.GetAdminProductAsync(product.Id));
        Assert.Equal(("First", 2L, ProductStatuses.Draft), (current.Name, current.Version, current.Status));
        Assert.Equal("\"2\"", (await _admin.GetAdminProductAsync(product.Id)).Headers?.ETag?.Tag);
        CatalogAssert.Ok(await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "Second"), ifMatch: "W/\"2\""));
    }

    [Fact]
    public async Task A_deleted_product_leaves_the_storefront_and_admin_but_still_answers_for_orders()
    {
        var product = await _admin.OnShelfAsync(CatalogSeed.Product(await _admin.CategoryAsync(), name: "Ordered once"));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteProductAsync(product.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteProductAsync(product.Id)).StatusCode);

        CatalogAssert.Problem(await _shop.GetProductAsync(product.Id), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        CatalogAssert.Problem(await _admin.GetAdminProductAsync(product.Id), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        CatalogAssert.Problem(await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(product.CategoryId)), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        var forOrder = await fixture.Cluster.Grains.GetGrain<IProductGrain>(product.Id).GetForOrderAsync();
        Assert.NotNull(forOrder);
        Assert.True(forOrder.Deleted);
        Assert.Equal(("Ordered once", product.PriceFen), (forOrder.Content.Name, forOrder.Content.PriceFen));
    }

    [Fact]
    public async Task Unknown_products_are_404_for_every_admin_command()
    {
        var unknown = ProductId.New();
        var request = CatalogSeed.Product(await _admin.CategoryAsync());

        CatalogAssert.Problem(await _admin.GetAdminProductAsync(unknown), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        CatalogAssert.Problem(await _admin.UpdateProductAsync(unknown, request), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        CatalogAssert.Problem(await _admin.SetProductStatusAsync(unknown, new ProductStatusRequest(ProductStatuses.OnShelf)), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        CatalogAssert.Problem(await _admin.DeleteProductAsync(unknown), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
    }
}
