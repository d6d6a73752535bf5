using System.Net;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Tests.Cart;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using static Shop.Tests.Catalog.VariantSeed;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Catalog;

/// <summary>Options given to a product created without them, through HTTP → grains → PostgreSQL. Shares the cart tests' cluster.</summary>
[Collection(CartCollection.Name)]
public sealed class ProductOptionsTests(OrderClusterFixture fixture)
{
    private ShopTestCluster Cluster => fixture.Cluster;

    private ICatalogApi Admin => Cluster.Admin();

    [Fact]
    public async Task Options_added_to_a_single_sku_product_keep_its_sku_id_stock_and_open_orders_and_new_variants_sell_beside_it()
    {
        var product = await Cluster.ProductAsync(stock: 5, price: 1_500);
        var shopper = Cluster.Orders(TestTokens.Customer("wx:options-" + Guid.NewGuid().ToString("N")));
        var open = await shopper.CreateAsync(Request((product.Id, 2)));

        var white = new ProductOptionsRequest(["颜色"], new Dictionary<string, string> { ["颜色"] = "白" });
        var shaped = CatalogAssert.Ok(await Admin.AddProductOptionsAsync(product.Id, white));
        Assert.Equal(["颜色"], shaped.Options);
        var first = Assert.Single(shaped.Variants);
        Assert.Equal((product.Id, "颜色:白", 1_500L, "OnShelf"), (first.SkuId, first.SpecText, first.PriceFen, first.Status));
        // A retried request changes nothing; other options afterwards are refused (options are fixed from now on).
        Assert.Equal(shaped.Version, CatalogAssert.Ok(await Admin.AddProductOptionsAsync(product.Id, white)).Version);
        CatalogAssert.Validation(await Admin.AddProductOptionsAsync(product.Id, white with { Options = ["尺码"], Spec = new Dictionary<string, string> { ["尺码"] = "L" } }), "options");

        var withBlack = Created(await Admin.AddVariantAsync(product.Id, Variant("黑", 1_800)));
        var black = withBlack.Sku("黑");
        await Cluster.RestockAsync(black.SkuId, 4);
        var detail = await Poll.UntilAsync(async () => CatalogAssert.Ok(await Cluster.Anonymous().GetProductAsync(product.Id)),
            d => d.Available == 7, what: "the detail's stock over both SKUs");
        Assert.Equal([(product.Id, "颜色:白", 1_500L, 3L), (black.SkuId, "颜色:黑", 1_800L, 4L)],
            detail.Variants.Select(v => (v.SkuId, v.SpecText, v.PriceFen, v.Available)));

        // The order made before the options is paid on the same SKU; new orders name either SKU.
        await Cluster.Grains.GetGrain<IOrderGrain>(open.OrderNo).MarkPaidAsync(new PaymentReceipt("4200" + open.OrderNo[..24], open.TotalFen, DateTimeOffset.UtcNow));
        var levels = await Cluster.StockAsync(product.Id);
        Assert.Equal((3L, 0L, 2L), (levels.Available, levels.Reserved, levels.Sold));
        var later = await shopper.CreateAsync(Request() with { Items = [new OrderItemRequest(null, 1, product.Id), new OrderItemRequest(null, 1, black.SkuId)] });
        Assert.Equal([(product.Id, "颜色:白", 1_500L), (black.SkuId, "颜色:黑", 1_800L)], later.Lines.Select(l => (l.SkuId, l.SpecText, l.UnitPriceFen)));
    }

    [Fact]
    public async Task Options_without_a_value_for_the_existing_sku_or_with_a_stale_version_change_nothing()
    {
        var product = await Cluster.ProductAsync(stock: 1);
        CatalogAssert.Validation(await Admin.AddProductOptionsAsync(product.Id, new ProductOptionsRequest(["颜色", "尺码"], new Dictionary<string, string> { ["颜色"] = "白" })), "spec");
        CatalogAssert.Validation(await Admin.AddProductOptionsAsync(product.Id, new ProductOptionsRequest([], null)), "options");
        var stale = await Admin.AddProductOptionsAsync(product.Id, new ProductOptionsRequest(["颜色"], new Dictionary<string, string> { ["颜色"] = "白" }), "\"999\"");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Empty(CatalogAssert.Ok(await Cluster.Anonymous().GetProductAsync(product.Id)).Options);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.AddProductOptionsAsync("p_AAAAAAAAAAAAAAAAAAAAAA", new ProductOptionsRequest(["颜色"], null))).StatusCode);
    }
}
