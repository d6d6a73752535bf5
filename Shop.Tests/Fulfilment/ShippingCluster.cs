using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shop.Client.Fulfilment;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.WeChatPay.Simulator.MiniProgram;

namespace Shop.Tests.Fulfilment;

/// <summary>
/// The real silo and API as a WeChat Pay merchant and mini program of the in-process simulator: shipping information
/// is uploaded to the simulator's upload_shipping_info with tokens from its stable_token; upload retries 1 s apart
/// (doubling to 2 s), at most 10 attempts; the due-order sweep every second (it is what finds an upload after a
/// restart); reconciliation far away so only notifications pay orders.
/// </summary>
public sealed class ShippingCluster : PaymentsCluster
{
    public const int MaxAttempts = 10;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Payments:ReconcileAfter:0"] = "00:30:00",
        ["Payments:ReconcileAfter:1"] = "00:40:00",
        ["WeChatMiniProgram:BaseUrl"] = SimulatorUrl.ToString(),
        ["WeChatMiniProgram:AppId"] = Merchant.AppId,
        ["WeChatMiniProgram:AppSecret"] = AppSecret,
        ["Orders:DueSweepInterval"] = "00:00:01",
        ["Orders:ReminderPeriod"] = "00:00:02",
        ["Fulfilment:UploadRetryDelay"] = "00:00:01",
        ["Fulfilment:UploadRetryMaxDelay"] = "00:00:02",
        ["Fulfilment:UploadMaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public IFulfilmentApi Admin => FulfilmentApiClient.Create(Cluster.CreateClient(TestTokens.Admin("shipping-admin")));

    /// <summary>A signed-in WeChat customer's paid order of one line per price given (2 units of the first, 1 of each other).</summary>
    public async Task<(string Token, string OpenId, OrderResponse Order)> PaidOrderAsync(string name, params long[] prices)
    {
        var code = name + "-" + Guid.NewGuid().ToString("N");
        var token = await LoginAsync(code);
        var products = new List<(string, int)>();
        foreach (var (price, k) in prices.Select((p, k) => (p, k)))
        {
            products.Add(((await Cluster.ProductAsync(10, price)).Id, k == 0 ? 2 : 1));
        }

        var order = await Cluster.Orders(token).CreateAsync(OrderTestSupport.Request([.. products]));
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await Controls.PayAsync(new Shop.WeChatPay.Simulator.Controls.PayCommand(PrepayId: payment.PrepayId()));
        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);
        return (token, JsCode2SessionEndpoints.OpenId(Merchant.AppId, code), paid);
    }

    public async Task<ShippingUploadResponse> WaitForUploadAsync(string orderNo, string state) =>
        await Poll.UntilAsync(async () => OrderTestSupport.Ok(await Admin.GetUploadAsync(orderNo)), u => u.State == state,
            TimeSpan.FromSeconds(30), $"the shipping upload of {orderNo} to be {state}");

    /// <summary>What the simulator (WeChat) holds about the order's shipping, and every upload body exactly as received.</summary>
    public async Task<JsonObject> WeChatShippingAsync(string orderNo)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        return (await http.GetFromJsonAsync<JsonObject>($"/simulator/miniprogram/orders/{orderNo}/shipping"))!;
    }

    public async Task<int> TokensIssuedAsync()
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        return (await http.GetFromJsonAsync<JsonObject>($"/simulator/miniprogram/tokens/{Merchant.AppId}"))!["issued"]!.GetValue<int>();
    }

    public async Task ControlAsync(HttpMethod method, string path, object? body = null)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: SimulatorControlsJson) };
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static readonly System.Text.Json.JsonSerializerOptions SimulatorControlsJson = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    public static ShipmentRequest Express(params (string Courier, string TrackingNo, (string SkuId, int Quantity)[] Lines)[] parcels) =>
        new("Express", [.. parcels.Select(p => new ParcelRequest(p.Courier, p.TrackingNo, [.. p.Lines.Select(l => new ParcelLineRequest(l.SkuId, l.Quantity))]))]);
}

[CollectionDefinition(Name)]
public sealed class ShippingCollection : ICollectionFixture<ShippingCluster>
{
    public const string Name = "shipping";
}
