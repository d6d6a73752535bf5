using System.Net;
using Npgsql;
using Shop.Client.Cart;
using Shop.Client.Orders;
using Shop.Client.Shipping;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using static Shop.Tests.Shipping.ShippingTestSupport;

namespace Shop.Tests.Shipping;

/// <summary>The address book (bounded, one default, encrypted at rest) and ordering from it, on the payments tests' cluster.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class AddressBookTests(PaymentsCluster payments)
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task The_book_holds_at_most_the_limit_with_exactly_one_default_and_stores_no_plaintext()
    {
        var user = "wx:book-" + Guid.NewGuid().ToString("N");
        var book = Cluster.Shipping(TestTokens.Customer(user));
        var first = OrderTestSupport.Ok(await book.AddAddressAsync(new AddressRequest("赵六", "13912345678", null, null, null, "保俶路 7 号", Xihu)), HttpStatusCode.Created);
        Assert.True(first.IsDefault);
        Assert.Equal(("浙江省", "杭州市", "西湖区"), (first.Province, first.City, first.District));

        for (var i = 1; i < 20; i++)
        {
            OrderTestSupport.Ok(await book.AddAddressAsync(new AddressRequest($"收件人{i}", "13912345678", "北京市", "北京市", "东城区", $"{i} 号", IsDefault: i == 7)), HttpStatusCode.Created);
        }

        var list = OrderTestSupport.Ok(await book.ListAddressesAsync());
        Assert.Equal((20, 20), (list.Items.Count, list.Limit));
        var seventh = Assert.Single(list.Items, a => a.IsDefault);
        Assert.Equal(("收件人7", Dongcheng), (seventh.Name, seventh.RegionCode));
        Assert.Equal(seventh, list.Items[0]);

        var full = await book.AddAddressAsync(new AddressRequest("多余", "13912345678", "北京市", "北京市", "东城区", "21 号"));
        OrderTestSupport.Problem(full, HttpStatusCode.Conflict, ShippingErrorCodes.AddressBookFull);

        // Removing the default makes another the default; the freed place takes a new address.
        Assert.Equal(HttpStatusCode.NoContent, (await book.RemoveAddressAsync(seventh.Id)).StatusCode);
        Assert.Single(OrderTestSupport.Ok(await book.ListAddressesAsync()).Items, a => a.IsDefault);
        OrderTestSupport.Ok(await book.AddAddressAsync(new AddressRequest("新的", "13912345678", null, null, null, "8 号", Xihu)), HttpStatusCode.Created);
        OrderTestSupport.Problem(await book.GetAddressAsync(seventh.Id), HttpStatusCode.NotFound, ShippingErrorCodes.AddressNotFound);

        // At rest: the grain's row holds ciphertexts, never the name, phone or street (plain or JSON-escaped).
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT encode(payloadbinary, 'escape') FROM orleansstorage WHERE encode(payloadbinary, 'escape') LIKE '%' || @id || '%'", connection);
        command.Parameters.AddWithValue("id", first.Id);
        var stored = Assert.IsType<string>(await command.ExecuteScalarAsync());
        foreach (var secret in new[] { "赵六", "13912345678", "保俶路" })
        {
            Assert.DoesNotContain(secret, stored);
            Assert.DoesNotContain(System.Text.Json.JsonSerializer.Serialize(secret).Trim('"'), stored);
        }
    }

    [Fact]
    public async Task An_order_and_a_cart_checkout_ship_to_a_saved_address_and_the_cart_quote_is_the_checkout_total()
    {
        var template = await Cluster.TemplateAsync(new FreightTemplateRequest("Capital", "Piece", Rule(1, 900, 1, 300), [Rule(1, 400, 1, 100, "110000")]));
        var sku = await Cluster.ProductAsync(template.Id, price: 1_500);
        var token = TestTokens.Customer("wx:book-order-" + Guid.NewGuid().ToString("N"));
        var book = Cluster.Shipping(token);
        var home = OrderTestSupport.Ok(await book.AddAddressAsync(new AddressRequest("钱七", "13712345678", "北京市", "北京市", "东城区", "东四 1 号")), HttpStatusCode.Created);

        var order = await Cluster.Orders(token).CreateAsync(new CreateOrderRequest([new OrderItemRequest(null, 2, sku)], null, null, home.Id));
        Assert.Equal(("钱七", "13712345678", Dongcheng), (order.ShippingAddress.Name, order.ShippingAddress.Phone, order.ShippingAddress.RegionCode));
        Assert.Equal((500L, 3_500L), (order.ShippingFeeFen, order.TotalFen));

        var cart = CartApiClient.Create(Cluster.CreateClient(token));
        OrderTestSupport.Ok(await cart.SetItemAsync(sku, new SetCartItemRequest(3)));
        var quote = OrderTestSupport.Ok(await book.QuoteCartAsync());
        Assert.Equal((4_500L, 600L, 5_100L), (quote.GoodsFen, quote.ShippingFeeFen, quote.TotalFen));
        var checkout = OrderTestSupport.Ok(await cart.CheckoutAsync(new CheckoutCartRequest(null, null, home.Id), OrderTestSupport.NewKey()), HttpStatusCode.Created);
        Assert.Equal(quote.TotalFen, checkout.TotalFen);

        var unknown = await Cluster.Orders(token).CreateOrderAsync(
            new CreateOrderRequest([new OrderItemRequest(null, 1, sku)], null, null, Shop.Grains.Interfaces.Shipping.SavedAddress.NewId()), OrderTestSupport.NewKey());
        Assert.Contains("addressId", OrderTestSupport.Problem(unknown, HttpStatusCode.BadRequest, "VALIDATION_FAILED").Errors.Keys);
    }

    [Fact]
    public async Task A_saved_address_whose_district_left_the_region_table_is_refused_when_used()
    {
        var sku = await Cluster.ProductAsync(null, price: 1_500);
        var user = "wx:book-stale-" + Guid.NewGuid().ToString("N");
        var token = TestTokens.Customer(user);
        // Saved when 990101 was a district (the API checked it then); a refresh of regions.csv has since removed it.
        var id = Shop.Grains.Interfaces.Shipping.SavedAddress.NewId();
        var stale = new Shop.Grains.Interfaces.Orders.ShippingAddress("周九", "13612345678", "旧省", "旧市", "旧区", "老街 9 号", "990101");
        Assert.Equal(Shop.Grains.Interfaces.Shipping.AddressBookOutcomeStatus.Ok,
            (await Cluster.Grains.GetGrain<Shop.Grains.Interfaces.Shipping.IAddressBookGrain>(user).AddAsync(id, stale, makeDefault: true)).Status);

        var order = await Cluster.Orders(token).CreateOrderAsync(new CreateOrderRequest([new OrderItemRequest(null, 1, sku)], null, null, id), OrderTestSupport.NewKey());
        var problem = OrderTestSupport.Problem(order, HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Contains("no longer in the region table", Assert.Single(problem.Errors["addressId"]), StringComparison.Ordinal);

        var cart = CartApiClient.Create(Cluster.CreateClient(token));
        OrderTestSupport.Ok(await cart.SetItemAsync(sku, new SetCartItemRequest(1)));
        OrderTestSupport.Problem(await Cluster.Shipping(token).QuoteCartAsync(), HttpStatusCode.NotFound, ShippingErrorCodes.AddressNotFound);
        OrderTestSupport.Problem(await cart.CheckoutAsync(new CheckoutCartRequest(null, null, id), OrderTestSupport.NewKey()),
            HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }
}
