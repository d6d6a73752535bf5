using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Catalog;

/// <summary>What a shopper sees of stock: the detail asks the SKU's grain, the list follows the inventory's writes.</summary>
[Collection(CatalogCollection.Name)]
public sealed class StorefrontStockTests(CatalogClusterFixture fixture)
{
    [Fact]
    public async Task Detail_and_list_show_the_available_stock_and_follow_reservations()
    {
        var category = await fixture.Admin.CategoryAsync();
        var product = await fixture.Admin.OnShelfAsync(CatalogSeed.Product(category));
        var stock = StockApiClient.Create(fixture.Cluster.CreateClient(TestTokens.Admin()));
        await stock.AdjustStockAsync(product.Id, new AdjustStockRequest(50, "first delivery"), Guid.NewGuid().ToString());

        Assert.Equal(50, CatalogAssert.Ok(await fixture.Anonymous.GetProductAsync(product.Id)).Available);
        await WaitForListedAsync(category, 50);

        var reserved = await fixture.Cluster.Grains.GetGrain<IInventoryGrain>(product.Id)
            .ReserveAsync("order-" + Guid.NewGuid().ToString("N"), 8, DateTimeOffset.UtcNow.AddMinutes(15));
        Assert.Equal(ReserveStatus.Reserved, reserved.Status);

        Assert.Equal(42, CatalogAssert.Ok(await fixture.Anonymous.GetProductAsync(product.Id)).Available);
        await WaitForListedAsync(category, 42);
    }

    private async Task WaitForListedAsync(string category, long available) =>
        await Poll.UntilAsync(
            async () => CatalogAssert.Ok(await fixture.Anonymous.ListProductsAsync(categoryId: category)).Items.Single().Available,
            a => a == available, what: $"the listing to show {available} available");
}
