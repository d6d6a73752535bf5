using System.Net;
using System.Text.Json;
using Npgsql;
using Shop.Client;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Shop.Client.Shipping;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using static Shop.Tests.Shipping.ShippingTestSupport;

namespace Shop.Tests.Shipping;

/// <summary>
/// Shipping fees through HTTP, the grains, PostgreSQL and the WeChat Pay simulator: the payments tests' cluster (one
/// silo, the API, the simulator), shared. Each test makes its own templates and products.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class ShippingFeeTests(PaymentsCluster payments)
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task A_per_piece_template_charges_the_first_piece_and_each_additional_one_by_region_and_the_quote_the_order_and_the_prepay_agree()
    {
        var template = await Cluster.TemplateAsync(new FreightTemplateRequest("By piece", "Piece", Rule(1, 1_000, 1, 500),
            [Rule(1, 600, 1, 200, "330000")]));
        var sku = await Cluster.ProductAsync(template.Id, price: 1_999);
        var token = await payments.LoginAsync("fee-piece-" + Guid.NewGuid().ToString("N"));

        // Zhejiang's group: 600 for the first piece, 200 for each of the other two. Beijing: the default rule.
        var quote = await Cluster.QuoteAsync(token, Xihu, (sku, 3));
        Assert.Equal((5_997L, 1_000L, 6_997L), (quote.GoodsFen, quote.ShippingFeeFen, quote.TotalFen));
        var fee = Assert.Single(quote.Fees);
        Assert.Equal((template.Id, "Piece", 3L, 1_000L, false), (fee.TemplateId, fee.ChargeBy, fee.Units, fee.FeeFen, fee.FreeShipping));
        Assert.Equal(2_000L, (await Cluster.QuoteAsync(token, Dongcheng, (sku, 3))).ShippingFeeFen);

        var order = await Cluster.Orders(token).CreateAsync(Order(Address(), (sku, 3)));
        Assert.Equal((5_997L, 1_000L, quote.TotalFen), (order.GoodsFen, order.ShippingFeeFen, order.TotalFen));
        Assert.Equal(Xihu, order.ShippingAddress.RegionCode);

        // WeChat Pay is asked for the total with the fee, and the event log carries the fee.
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        Assert.Equal(6_997L, payments.SimulatorLedger.OrderByPrepayId(payment.PrepayId())!.Total);
        var created = await Poll.UntilAsync(() => OrderCreatedAsync(order.OrderNo), e => e is not null, TimeSpan.FromSeconds(10), "the OrderCreated event");
        Assert.Equal(1_000L, created!.Value.GetProperty("shippingFeeFen").GetInt64());
        Assert.Equal(6_997L, created.Value.GetProperty("totalFen").GetInt64());

        // The orders row's columns, and the OpenAPI document's order.
        await using (var connection = new NpgsqlConnection(Cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT total_fen, shipping_fee_fen FROM orders WHERE order_no = @no", connection);
            command.Parameters.AddWithValue("no", order.OrderNo);
            await using var row = await command.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            Assert.Equal((6_997L, 1_000L), (row.GetInt64(0), row.GetInt64(1)));
        }

        using var anonymous = Cluster.CreateClient();
        var schema = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement
            .GetProperty("components").GetProperty("schemas").GetProperty("OrderResponse").GetProperty("properties");
        Assert.True(schema.TryGetProperty("shippingFeeFen", out _) && schema.TryGetProperty("goodsFen", out _));
    }

    [Fact]
    public async Task A_per_weight_template_charges_the_first_weight_and_each_started_step_of_the_lines_grams()
    {
        var template = await Cluster.TemplateAsync(new FreightTemplateRequest("By weight", "Weight", Rule(1_000, 1_200, 500, 300)));
        var sku = await Cluster.ProductAsync(template.Id, price: 2_500, grams: 700);
        var token = TestTokens.Customer("wx:fee-weight-" + Guid.NewGuid().ToString("N"));

        // 3 × 700 g = 2,100 g: the first 1,000 g, then 1,100 g is three started 500 g steps.
        var quote = await Cluster.QuoteAsync(token, Dongcheng, (sku, 3));
        Assert.Equal((2_100L, 1_200L + 3 * 300), (Assert.Single(quote.Fees).Units, quote.ShippingFeeFen));

        var order = await Cluster.Orders(token).CreateAsync(Order(At(Dongcheng), (sku, 3)));
        Assert.Equal((2_100L, 7_500L + 2_100), (order.ShippingFeeFen, order.TotalFen));
        Assert.Equal(("北京市", "市辖区", "东城区"), (order.ShippingAddress.Province, order.ShippingAddress.City, order.ShippingAddress.District));

        // An edit applies to the next quote and order at once (the silos' copies are told); the order made keeps its fee.
        var edited = OrderTestSupport.Ok(await Cluster.Shipping(TestTokens.Admin()).UpdateTemplateAsync(template.Id,
            new FreightTemplateRequest("By weight", "Weight", Rule(1_000, 1_000, 1_000, 100), Version: template.Version)));
        Assert.Equal(template.Version + 1, edited.Version);
        Assert.Equal(1_000L + 2 * 100, (await Cluster.QuoteAsync(token, Dongcheng, (sku, 3))).ShippingFeeFen);
        Assert.Equal(2_100L, OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo)).ShippingFeeFen);
        OrderTestSupport.Problem(await Cluster.Shipping(TestTokens.Admin()).UpdateTemplateAsync(template.Id,
            new FreightTemplateRequest("By weight", "Weight", Rule(1_000, 1_000, 1_000, 100), Version: template.Version)),
            HttpStatusCode.Conflict, "VERSION_CONFLICT");
    }

    [Fact]
    public async Task A_region_not_delivered_to_is_a_409_naming_the_line_and_the_region_and_reserves_nothing()
    {
        var template = await Cluster.TemplateAsync(new FreightTemplateRequest("No Tibet", "Piece", Rule(1, 800, 1, 0), NotDelivered: ["540000"]));
        var refused = await Cluster.ProductAsync(template.Id, price: 1_000);
        var free = await Cluster.ProductAsync(null, price: 1_000);
        var token = TestTokens.Customer("wx:fee-tibet-" + Guid.NewGuid().ToString("N"));

        var response = await Cluster.Orders(token).CreateOrderAsync(
            Order(Address("西藏自治区", "拉萨市", "城关区"), (free, 1), (refused, 2)), OrderTestSupport.NewKey());
        var problem = OrderTestSupport.Problem(response, HttpStatusCode.Conflict, ShippingErrorCodes.ShippingNotDelivered);
        var line = Assert.Single(JsonDocument.Parse(((Refit.ApiException)response.Error!).Content!).RootElement.GetProperty("lines").EnumerateArray());
        Assert.Equal((refused, template.Id, Chengguan), (line.GetProperty("skuId").GetString(), line.GetProperty("templateId").GetString(), line.GetProperty("regionCode").GetString()));
        Assert.Contains("拉萨市", problem.Detail);
        Assert.Equal(0, (await Cluster.StockAsync(refused)).Reserved);
        Assert.Equal(0, (await Cluster.StockAsync(free)).Reserved);

        var quote = await Cluster.Shipping(token).QuoteAsync(new ShippingQuoteRequest([new OrderItemRequest(null, 2, refused)], RegionCode: Chengguan));
        OrderTestSupport.Problem(quote, HttpStatusCode.Conflict, ShippingErrorCodes.ShippingNotDelivered);

        // Elsewhere the same lines ship.
        Assert.Equal(800L, (await Cluster.Orders(token).CreateAsync(Order(Address(), (free, 1), (refused, 2)))).ShippingFeeFen);
    }

    [Fact]
    public async Task Two_templates_in_one_order_are_charged_separately_and_the_free_threshold_frees_only_its_own_lines()
    {
        var pieces = await Cluster.TemplateAsync(new FreightTemplateRequest("Tea", "Piece", Rule(1, 800, 2, 100), FreeShippingThresholdFen: 10_000));
        var weight = await Cluster.TemplateAsync(new FreightTemplateRequest("Heavy", "Weight", Rule(1_000, 1_000, 1_000, 500)));
        var tea = await Cluster.ProductAsync(pieces.Id, price: 3_000);
        var kettle = await Cluster.ProductAsync(weight.Id, price: 1_000, grams: 1_500);
        var token = TestTokens.Customer("wx:fee-mix-" + Guid.NewGuid().ToString("N"));

        // Goods 6,000 + 1,000 = 7,000 < 10,000: tea 800 + 1 started step of 2 pieces (100); kettle 1,000 + 500.
        var below = await Cluster.QuoteAsync(token, Xihu, (tea, 2), (kettle, 1));
        Assert.Equal(new[] { (pieces.Id, 900L, false), (weight.Id, 1_500L, false) }.OrderBy(f => f.Item1),
            below.Fees.Select(f => (f.TemplateId, f.FeeFen, f.FreeShipping)).OrderBy(f => f.Item1));
        var order = await Cluster.Orders(token).CreateAsync(Order(Address(), (tea, 2), (kettle, 1)));
        Assert.Equal((7_000L, 2_400L, 9_400L), (order.GoodsFen, order.ShippingFeeFen, order.TotalFen));

        // Goods 12,000 reach the tea template's threshold: its lines ship free, the kettle's fee stays.
        var above = await Cluster.QuoteAsync(token, Xihu, (tea, 3), (kettle, 3));
        Assert.True(above.Fees.Single(f => f.TemplateId == pieces.Id) is { FeeFen: 0, FreeShipping: true });
        Assert.Equal(1_000L + 4 * 500, above.ShippingFeeFen);
        Assert.Equal(above.TotalFen, (await Cluster.Orders(token).CreateAsync(Order(Address(), (tea, 3), (kettle, 3)))).TotalFen);
    }

    [Fact]
    public async Task A_template_products_use_cannot_be_deleted_and_an_update_that_leaves_the_template_out_keeps_it()
    {
        var shipping = Cluster.Shipping(TestTokens.Admin());
        var catalog = CatalogApiClient.Create(Cluster.CreateClient(TestTokens.Admin()));
        var template = await Cluster.TemplateAsync(new FreightTemplateRequest("In use", "Piece", Rule(1, 600, 1, 100)));
        var product = await Cluster.ProductAsync(template.Id, price: 1_000);

        var inUse = InUse(await shipping.DeleteTemplateAsync(template.Id));
        Assert.Contains($"1 product(s) use this template (for example {product})", inUse.Detail, StringComparison.Ordinal);

        // A price edit that says nothing of the template (like one that says nothing of grams) keeps it: still in use.
        var current = OrderTestSupport.Ok(await catalog.GetAdminProductAsync(product));
        var repriced = OrderTestSupport.Ok(await catalog.UpdateProductAsync(product,
            new ProductRequest(current.Name, current.Description, 1_200, current.CategoryId)));
        Assert.Equal((1_200L, template.Id), (repriced.PriceFen, repriced.FreightTemplateId));
        InUse(await shipping.DeleteTemplateAsync(template.Id));

        // Moved to the default template by name, the product frees the template, which can then go.
        var moved = OrderTestSupport.Ok(await catalog.UpdateProductAsync(product,
            new ProductRequest(current.Name, current.Description, 1_200, current.CategoryId, FreightTemplateId: "ft_default")));
        Assert.Equal("ft_default", moved.FreightTemplateId);
        Assert.Equal(HttpStatusCode.NoContent, (await shipping.DeleteTemplateAsync(template.Id)).StatusCode);
        OrderTestSupport.Problem(await shipping.GetTemplateAsync(template.Id), HttpStatusCode.NotFound, ShippingErrorCodes.FreightTemplateNotFound);
    }

    private static ShopApiProblem InUse(Refit.IApiResponse response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = ShopApiProblem.FromException((Refit.ApiException)response.Error!)!;
        Assert.Equal(ShippingErrorCodes.FreightTemplateInUse, problem.Code);
        return problem;
    }

    [Fact]
    public async Task Addresses_that_do_not_match_the_region_table_are_400_with_an_error_per_field()
    {
        var sku = await Cluster.ProductAsync(null, price: 1_000);
        var orders = Cluster.Orders(TestTokens.Customer("wx:fee-invalid-" + Guid.NewGuid().ToString("N")));

        async Task<IReadOnlyDictionary<string, string[]>> ErrorsAsync(ShippingAddressRequest address) =>
            OrderTestSupport.Problem(await orders.CreateOrderAsync(Order(address, (sku, 1)), OrderTestSupport.NewKey()),
                HttpStatusCode.BadRequest, "VALIDATION_FAILED").Errors!;

        Assert.Equal(new[] { "shippingAddress.city" }, (await ErrorsAsync(Address(city: "苏州市"))).Keys);
        Assert.Equal(new[] { "shippingAddress.province" }, (await ErrorsAsync(Address(province: "浙江"))).Keys);
        Assert.Equal(new[] { "shippingAddress.regionCode" }, (await ErrorsAsync(Address(regionCode: "339999"))).Keys);
        Assert.Equal(new[] { "shippingAddress.district" }, (await ErrorsAsync(Address(district: "东城区", regionCode: Xihu))).Keys);
        // A code alone is an address; so are names alone (clients from before region codes).
        Assert.Equal(HttpStatusCode.Created, (await orders.CreateOrderAsync(Order(At(Xihu), (sku, 1)), OrderTestSupport.NewKey())).StatusCode);

        var book = Cluster.Shipping(TestTokens.Customer("wx:fee-invalid-book-" + Guid.NewGuid().ToString("N")));
        var saved = await book.AddAddressAsync(new AddressRequest("王五", "12345", "北京市", "北京市", "西湖区", "x"));
        Assert.Equal(new[] { "district", "phone" }, OrderTestSupport.Problem(saved, HttpStatusCode.BadRequest, "VALIDATION_FAILED").Errors!.Keys.Order());
    }

    /// <summary>The order's OrderCreated payload in the event log (read page by page from the start), or null while it is not there.</summary>
    private async Task<JsonElement?> OrderCreatedAsync(string orderNo)
    {
        using var client = Cluster.CreateClient(TestTokens.Admin());
        for (long after = 0; ;)
        {
            var page = JsonDocument.Parse(await client.GetStringAsync($"/api/admin/events?after={after}&limit=500")).RootElement;
            var events = page.GetProperty("events");
            if (events.GetArrayLength() == 0)
            {
                return null;
            }

            foreach (var e in events.EnumerateArray())
            {
                if (e.GetProperty("type").GetString() == "OrderCreated" && e.GetProperty("orderNo").GetString() == orderNo)
                {
                    return e.GetProperty("payload").Clone();
                }
            }

            after = page.GetProperty("next").GetInt64();
        }
    }
}
