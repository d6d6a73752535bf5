using System.Net;
using Shop.Client;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Shop.Tests.Cart;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using static Shop.Tests.Catalog.VariantSeed;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Catalog;

/// <summary>
/// Products with variants through HTTP → grains → PostgreSQL: each SKU has its own price, spec, shelf state and
/// stock; orders and carts name SKUs and keep the spec and price as sold. Shares the cart tests' cluster.
/// </summary>
[Collection(CartCollection.Name)]
public sealed class VariantsTests(OrderClusterFixture fixture)
{
    private ShopTestCluster Cluster => fixture.Cluster;

    private ICatalogApi Admin => Cluster.Admin();

    [Fact]
    public async Task A_product_with_two_variants_shows_each_sku_with_its_spec_price_and_own_stock_in_the_detail_and_the_list()
    {
        var product = await Admin.OnShelfAsync(TShirt(await Admin.CategoryAsync()));
        var (white, black) = (product.Sku("白"), product.Sku("黑"));
        Assert.Equal(["颜色"], product.Options);
        Assert.Equal((9_900L, "颜色:白", "690000000001", "OnShelf"), (white.PriceFen, white.SpecText, white.Barcode, white.Status));
        Assert.StartsWith(product.Id + ".", white.SkuId, StringComparison.Ordinal);
        Assert.NotEqual(white.SkuId, black.SkuId);
        Assert.Equal(9_900L, product.PriceFen);

        // Stock is per SKU: the admin stock endpoint takes a SKU id.
        Assert.Equal(5L, (await Cluster.RestockAsync(white.SkuId, 5)).Available);
        Assert.Equal(2L, (await Cluster.RestockAsync(black.SkuId, 2)).Available);

        var detail = await Poll.UntilAsync(async () => CatalogAssert.Ok(await Cluster.Anonymous().GetProductAsync(product.Id)),
            d => d.Available == 7, what: "the detail's stock");
        Assert.Equal((9_900L, 10_900L), (detail.PriceFen, detail.MaxPriceFen));
        Assert.Equal([(white.SkuId, "白", 9_900L, true, 5L), (black.SkuId, "黑", 10_900L, true, 2L)],
            detail.Variants.Select(v => (v.SkuId, Assert.Single(v.Spec).Value, v.PriceFen, v.OnShelf, v.Available)));

        var listed = await Poll.UntilAsync(
            async () => CatalogAssert.Ok(await Cluster.Anonymous().ListProductsAsync(q: product.Name)).Items.SingleOrDefault(),
            i => i?.Available == 7, what: "the listing's summed stock");
        Assert.Equal((9_900L, 10_900L, 2), (listed!.PriceFen, listed.MaxPriceFen, listed.VariantCount));
    }

    [Fact]
    public async Task An_order_of_one_variant_holds_that_sku_and_its_line_keeps_the_spec_and_price_as_sold()
    {
        var product = await Admin.OnShelfAsync(TShirt(await Admin.CategoryAsync()));
        var (white, black) = (product.Sku("白"), product.Sku("黑"));
        await Cluster.RestockAsync(white.SkuId, 5);
        await Cluster.RestockAsync(black.SkuId, 5);
        var orders = Cluster.Orders(TestTokens.Customer("wx:variants-" + Guid.NewGuid().ToString("N")));

        var order = await orders.CreateAsync(Request() with { Items = [new OrderItemRequest(null, 2, white.SkuId)] });

        var line = Assert.Single(order.Lines);
        Assert.Equal((white.SkuId, product.Id, 9_900L, 2, "颜色:白"), (line.SkuId, line.ProductId, line.UnitPriceFen, line.Quantity, line.SpecText));
        Assert.Equal(("颜色", "白"), (Assert.Single(line.Spec).Name, line.Spec[0].Value));
        Assert.Equal(19_800L, order.TotalFen);
        Assert.Equal((3L, 2L), ((await Cluster.StockAsync(white.SkuId)).Available, (await Cluster.StockAsync(white.SkuId)).Reserved));
        Assert.Equal((5L, 0L), ((await Cluster.StockAsync(black.SkuId)).Available, (await Cluster.StockAsync(black.SkuId)).Reserved));

        // The merchant renames the colour and raises the price: the order keeps what was sold; a new order pays the new price.
        var changed = CatalogAssert.Ok(await Admin.UpdateVariantAsync(product.Id, white.SkuId, Variant("米白", 12_900, "690000000001")));
        Assert.Equal(("颜色:米白", 10_900L), (changed.Sku("米白").SpecText, changed.PriceFen));
        var again = Ok(await orders.GetOrderAsync(order.OrderNo)).Lines.Single();
        Assert.Equal((9_900L, "颜色:白"), (again.UnitPriceFen, again.SpecText));
        Assert.Equal(12_900L, (await orders.CreateAsync(Request() with { Items = [new OrderItemRequest(null, 1, white.SkuId)] })).Lines[0].UnitPriceFen);

        // The OrderCreated event names the SKU, its product and its spec.
        var created = await Poll.UntilAsync(() => OrderFlowTests.EventsOfAsync(Cluster, order.OrderNo), e => e.Any(x => x.Type == "OrderCreated"));
        var eventLine = Assert.Single(created.Single(e => e.Type == "OrderCreated").Payload.GetProperty("lines").EnumerateArray());
        Assert.Equal((white.SkuId, product.Id, "颜色:白", 9_900L),
            (eventLine.GetProperty("skuId").GetString(), eventLine.GetProperty("productId").GetString(), eventLine.GetProperty("spec").GetString(),
                eventLine.GetProperty("unitPriceFen").GetInt64()));

        // Cancelling gives the units back to that SKU.
        Assert.Equal(OrderStatuses.Cancelled, Ok(await orders.CancelOrderAsync(order.OrderNo)).Status);
        Assert.Equal((4L, 1L), ((await Cluster.StockAsync(white.SkuId)).Available, (await Cluster.StockAsync(white.SkuId)).Reserved));
    }

    [Fact]
    public async Task A_variant_off_the_shelf_is_409_product_unavailable_naming_its_sku_while_the_others_still_sell()
    {
        var product = await Admin.OnShelfAsync(TShirt(await Admin.CategoryAsync()));
        var (white, black) = (product.Sku("白"), product.Sku("黑"));
        await Cluster.RestockAsync(white.SkuId, 5);
        await Cluster.RestockAsync(black.SkuId, 5);

        var off = CatalogAssert.Ok(await Admin.SetVariantStatusAsync(product.Id, black.SkuId, new VariantStatusRequest(ProductStatuses.OffShelf)));
        Assert.Equal(ProductStatuses.OffShelf, off.Sku("黑").Status);

        var shopper = new Shopper(Cluster);
        var refused = Problem(await shopper.Orders.CreateOrderAsync(Request() with { Items = [new OrderItemRequest(null, 1, black.SkuId)] }, NewKey()),
            HttpStatusCode.Conflict, ShopErrorCodes.ProductUnavailable);
        Assert.Contains(black.SkuId, refused.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, (await Cluster.StockAsync(black.SkuId)).Reserved);
        Problem(await shopper.Cart.SetItemAsync(black.SkuId, new Client.Cart.SetCartItemRequest(1)), HttpStatusCode.Conflict, ShopErrorCodes.ProductUnavailable);

        Assert.Equal(white.SkuId, (await shopper.Orders.CreateAsync(Request((white.SkuId, 1)))).Lines.Single().SkuId);
        var detail = await Poll.UntilAsync(async () => CatalogAssert.Ok(await Cluster.Anonymous().GetProductAsync(product.Id)),
            d => d.Variants.Any(v => v is { OnShelf: false }), what: "the detail past its cache");
        Assert.Equal([(white.SkuId, true, 4L), (black.SkuId, false, 0L)], detail.Variants.Select(v => (v.SkuId, v.OnShelf, v.Available)));
        Assert.Equal((9_900L, 9_900L, 4L), (detail.PriceFen, detail.MaxPriceFen, detail.Available));
    }

    [Fact]
    public async Task A_cart_holds_variants_by_sku_with_their_spec_and_checks_them_out_as_those_skus()
    {
        var product = await Admin.OnShelfAsync(TShirt(await Admin.CategoryAsync()));
        var (white, black) = (product.Sku("白"), product.Sku("黑"));
        await Cluster.RestockAsync(white.SkuId, 5);
        await Cluster.RestockAsync(black.SkuId, 1);
        var shopper = new Shopper(Cluster);

        await shopper.SetAsync(white.SkuId, 2);
        var cart = await shopper.SetAsync(black.SkuId, 1);
        Assert.Equal([(white.SkuId, product.Id, "颜色:白", 9_900L, 5L, true), (black.SkuId, product.Id, "颜色:黑", 10_900L, 1L, true)],
            cart.Lines.Select(l => (l.SkuId, l.ProductId, l.SpecText, l.UnitPriceFen!.Value, l.Available, l.Purchasable)));
        Assert.Equal(2 * 9_900 + 10_900, cart.TotalFen);

        var order = (await shopper.CheckoutRawAsync(CartTestSupport.Checkout(), NewKey())).Order();
        Assert.Equal([(white.SkuId, "颜色:白", 2), (black.SkuId, "颜色:黑", 1)], order.Lines.Select(l => (l.SkuId, l.SpecText, l.Quantity)));
        Assert.Empty((await shopper.GetAsync()).Lines);
        Assert.Equal((2L, 1L), ((await Cluster.StockAsync(white.SkuId)).Reserved, (await Cluster.StockAsync(black.SkuId)).Reserved));
    }

    [Fact]
    public async Task A_product_without_options_keeps_its_simple_shape_and_its_id_is_its_sku()
    {
        var product = await Cluster.ProductAsync(stock: 3, price: 1_500);

        var detail = CatalogAssert.Ok(await Cluster.Anonymous().GetProductAsync(product.Id));
        Assert.Equal((1_500L, 3L), (detail.PriceFen, detail.Available));
        Assert.Empty(detail.Options);
        var only = Assert.Single(detail.Variants);
        Assert.Equal((product.Id, "", 1_500L, 3L), (only.SkuId, only.SpecText, only.PriceFen, only.Available));

        var orders = Cluster.Orders(TestTokens.Customer("wx:variants-" + Guid.NewGuid().ToString("N")));
        var bySku = await orders.CreateAsync(Request() with { Items = [new OrderItemRequest(null, 1, product.Id)] });
        var byAlias = await orders.CreateAsync(Request((product.Id, 1)));
        Assert.All(new[] { bySku, byAlias }.Select(o => o.Lines.Single()), l => Assert.Equal((product.Id, product.Id, ""), (l.SkuId, l.ProductId, l.SpecText)));

        // skuId and productId naming different products is a contradiction, not a guess.
        var other = await Cluster.ProductAsync(stock: 1);
        var response = await orders.CreateOrderAsync(Request() with { Items = [new OrderItemRequest(other.Id, 1, product.Id)] }, NewKey());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("items[0].productId", (response.Error as Refit.ApiException)!.Content, StringComparison.Ordinal);
    }
}
