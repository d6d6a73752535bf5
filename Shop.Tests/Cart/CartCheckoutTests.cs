using System.Net;
using Shop.Client;
using Shop.Client.Cart;
using Shop.Client.Catalog;
using Shop.Tests.Catalog;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using static Shop.Tests.Cart.CartTestSupport;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Cart;

/// <summary>Checkout: the cart's lines become one order through <c>IOrderCreationGrain</c>, under the Idempotency-Key rules of <c>POST /api/orders</c>.</summary>
[Collection(CartCollection.Name)]
public sealed class CartCheckoutTests(OrderClusterFixture fixture)
{
    private ShopTestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Checkout_orders_the_lines_reserves_their_stock_and_empties_the_cart_and_a_retry_replays_the_same_bytes()
    {
        var tea = await Cluster.SkuAsync(stock: 10, price: 12_800);
        var cup = await Cluster.SkuAsync(stock: 5, price: 2_500);
        var shopper = new Shopper(Cluster);
        await shopper.SetAsync(tea.Id, 2);
        await shopper.SetAsync(cup.Id, 1);
        var key = NewKey();

        var first = await shopper.CheckoutRawAsync(Checkout(), key);

        var order = first.Order();
        Assert.Equal([(tea.Id, tea.Request.Name, 12_800L, 2), (cup.Id, cup.Request.Name, 2_500L, 1)],
            order.Lines.Select(l => (l.ProductId, (string?)l.Name, l.UnitPriceFen, l.Quantity)));
        Assert.Equal(2 * 12_800 + 2_500, order.TotalFen);
        Assert.Equal(("张三", "leave at the door", "PendingPayment"), (order.ShippingAddress.Name, order.Remark!, order.Status));
        Assert.Equal(order.OrderNo, Ok(await shopper.Orders.GetOrderAsync(order.OrderNo)).OrderNo);
        Assert.Empty((await shopper.GetAsync()).Lines);
        Assert.Equal((8L, 2L), ((await Cluster.StockAsync(tea.Id)).Available, (await Cluster.StockAsync(tea.Id)).Reserved));
        Assert.Equal((4L, 1L), ((await Cluster.StockAsync(cup.Id)).Available, (await Cluster.StockAsync(cup.Id)).Reserved));

        // The lines are gone, yet the retry is the same request: the same answer, byte for byte, and nothing more reserved.
        var retry = await shopper.CheckoutRawAsync(Checkout(), key);
        Assert.Equal((first.Status, first.MediaType, first.Text), (retry.Status, retry.MediaType, retry.Text));

        // A line added since stays in the cart through another replay.
        await shopper.SetAsync(cup.Id, 2);
        Assert.Equal(first.Text, (await shopper.CheckoutRawAsync(Checkout(), key)).Text);
        Assert.Equal([(cup.Id, 2)], (await shopper.GetAsync()).Lines.Select(l => (l.SkuId, l.Quantity)));
        Assert.Equal(2L, (await Cluster.StockAsync(tea.Id)).Reserved);
        Assert.Equal(1L, (await Cluster.StockAsync(cup.Id)).Reserved);

        // Another body under the key is refused; the cart keeps its line.
        (await shopper.CheckoutRawAsync(Checkout(remark: "ring twice"), key)).Problem(HttpStatusCode.UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused);
        Assert.Single((await shopper.GetAsync()).Lines);
    }

    [Fact]
    public async Task Checkout_charges_the_price_of_the_moment_not_the_price_when_the_line_was_added()
    {
        var sku = await Cluster.SkuAsync(stock: 10, price: 1_000);
        var shopper = new Shopper(Cluster);
        await shopper.SetAsync(sku.Id, 3);
        CatalogAssert.Ok(await Cluster.Admin().UpdateProductAsync(sku.Id, sku.Request with { PriceFen = 1_500 }));

        var order = (await shopper.CheckoutRawAsync(Checkout(), NewKey())).Order();

        Assert.Equal((1_500L, 4_500L), (order.Lines.Single().UnitPriceFen, order.TotalFen));
    }

    [Fact]
    public async Task Cart_keys_are_scoped_apart_from_order_keys()
    {
        var sku = await Cluster.SkuAsync(stock: 10, price: 100);
        var shopper = new Shopper(Cluster);
        var key = NewKey();
        var direct = Ok(await shopper.Orders.CreateOrderAsync(Request((sku.Id, 3)), key), HttpStatusCode.Created);
        await shopper.SetAsync(sku.Id, 1);

        var fromCart = (await shopper.CheckoutRawAsync(Checkout(), key)).Order();

        Assert.NotEqual(direct.OrderNo, fromCart.OrderNo);
        Assert.Equal(1, fromCart.Lines.Single().Quantity);
        Assert.Equal(4L, (await Cluster.StockAsync(sku.Id)).Reserved);
    }

    [Fact]
    public async Task An_unavailable_line_is_named_in_the_409_nothing_is_reserved_and_the_cart_is_unchanged()
    {
        var plenty = await Cluster.SkuAsync(stock: 10, price: 100);
        var scarce = await Cluster.SkuAsync(stock: 1, price: 200);
        var shopper = new Shopper(Cluster);
        await shopper.SetAsync(plenty.Id, 2);
        await shopper.SetAsync(scarce.Id, 3);
        var before = await shopper.GetAsync();

        var refused = (await shopper.CheckoutRawAsync(Checkout(), NewKey())).Problem(HttpStatusCode.Conflict, ShopErrorCodes.OutOfStock);

        var named = Assert.Single(refused.GetProperty("products").EnumerateArray());
        Assert.Equal((scarce.Id, 3, 1), (named.GetProperty("productId").GetString(), named.GetProperty("requested").GetInt32(), named.GetProperty("available").GetInt32()));
        Assert.Equal(before, await shopper.GetAsync(), CartComparer.Instance);
        Assert.Equal(0L, (await Cluster.StockAsync(plenty.Id)).Reserved);
        Assert.Equal(0L, (await Cluster.StockAsync(scarce.Id)).Reserved);

        // Off the shelf since it was added: PRODUCT_UNAVAILABLE names it.
        await shopper.SetAsync(scarce.Id, 1);
        CatalogAssert.Ok(await Cluster.Admin().SetProductStatusAsync(plenty.Id, new ProductStatusRequest(ProductStatuses.OffShelf)));
        var offShelf = (await shopper.CheckoutRawAsync(Checkout(), NewKey())).Problem(HttpStatusCode.Conflict, ShopErrorCodes.ProductUnavailable);
        Assert.Equal(plenty.Id, Assert.Single(offShelf.GetProperty("products").EnumerateArray()).GetProperty("productId").GetString());
        Assert.Equal(2, (await shopper.GetAsync()).Lines.Count);
        Assert.Equal(0L, (await Cluster.StockAsync(scarce.Id)).Reserved);
    }

    [Fact]
    public async Task Concurrent_checkouts_of_one_cart_make_one_order()
    {
        var sku = await Cluster.SkuAsync(stock: 100, price: 100);
        var shopper = new Shopper(Cluster);
        await shopper.SetAsync(sku.Id, 2);
        var key = NewKey();

        var sameKey = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => shopper.CheckoutRawAsync(Checkout(), key)));

        Assert.Single(sameKey.Select(a => a.Order().OrderNo).Distinct());
        Assert.Single(sameKey.Select(a => a.Text).Distinct());
        Assert.Equal(2L, (await Cluster.StockAsync(sku.Id)).Reserved);
        Assert.Empty((await shopper.GetAsync()).Lines);

        // Different keys at once: the first orders the lines, the others find the cart empty.
        await shopper.SetAsync(sku.Id, 3);
        var otherKeys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => shopper.CheckoutRawAsync(Checkout(), NewKey())));

        Assert.Equal(3, Assert.Single(otherKeys, a => a.Status == HttpStatusCode.Created).Order().Lines.Single().Quantity);
        Assert.All(otherKeys.Where(a => a.Status != HttpStatusCode.Created), a => a.Problem(HttpStatusCode.Conflict, CartErrorCodes.CartEmpty));
        Assert.Equal(5L, (await Cluster.StockAsync(sku.Id)).Reserved);
    }

    [Fact]
    public async Task An_empty_cart_a_missing_key_or_a_bad_address_is_refused_with_its_code()
    {
        var shopper = new Shopper(Cluster);

        (await shopper.CheckoutRawAsync(Checkout(), NewKey())).Problem(HttpStatusCode.Conflict, CartErrorCodes.CartEmpty);

        var sku = await Cluster.SkuAsync(stock: 5, price: 100);
        await shopper.SetAsync(sku.Id, 1);
        var missingKey = (await shopper.CheckoutRawAsync(Checkout(), null)).Problem(HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.True(missingKey.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        var badPhone = Checkout() with { ShippingAddress = Checkout().ShippingAddress! with { Phone = "12345" } };
        var invalid = (await shopper.CheckoutRawAsync(badPhone, NewKey())).Problem(HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("shippingAddress.phone", out _));
        Assert.Single((await shopper.GetAsync()).Lines);
        Assert.Equal(0L, (await Cluster.StockAsync(sku.Id)).Reserved);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_cart_and_its_checkout_key()
    {
        using var client = Cluster.CreateClient();
        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/cart").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/cart").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/cart/items/{skuId}").TryGetProperty("put", out _));
        var checkout = paths.GetProperty("/api/cart/checkout").GetProperty("post");
        var header = Assert.Single(checkout.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.True(header.GetProperty("required").GetBoolean());
        Assert.True(checkout.GetProperty("responses").TryGetProperty("201", out _));
    }

    /// <summary>Two views of a cart list the same lines (SKU, quantity, added-at) and prices.</summary>
    private sealed class CartComparer : IEqualityComparer<CartResponse>
    {
        public static readonly CartComparer Instance = new();

        public bool Equals(CartResponse? x, CartResponse? y) =>
            x is not null && y is not null && x.TotalFen == y.TotalFen &&
            x.Lines.Select(l => l with { Spec = null }).SequenceEqual(y.Lines.Select(l => l with { Spec = null })); // the spec compares as SpecText

        public int GetHashCode(CartResponse obj) => obj.TotalFen.GetHashCode();
    }
}
