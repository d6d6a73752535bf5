using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments.Refunds;

/// <summary>
/// Payments against the simulator with reconciliation far away (so only notifications, the close on cancel or the
/// refund watch can change an order) and unfinished refunds queried 5 s after they were requested.
/// </summary>
public sealed class RefundsCluster : PaymentsCluster
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Payments:ReconcileAfter:0"] = "00:30:00",
        ["Payments:ReconcileAfter:1"] = "00:40:00",
        ["Payments:RefundQueryAfter"] = "00:00:05",
        ["Payments:RefundQueryEvery"] = "00:00:02",
        ["Payments:RetryAfter"] = "00:00:07",
    };

    public IOrdersApi Admin => Cluster.Orders(TestTokens.Admin("refund-admin"));

    /// <summary>A signed-in WeChat customer with a paid order of 2 × 19.99 (3998 fen), its payment notification delivered.</summary>
    public async Task<(string Token, OrderResponse Order, string ProductId)> PaidOrderAsync(string name)
    {
        var token = await LoginAsync(name + "-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 2, price: 1_999);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);
        await Controls.WaitUntilSettledAsync(order.OrderNo);
        return (token, paid, productId);
    }

    /// <summary>Every refund the simulator holds for the order: what WeChat Pay would pay out.</summary>
    internal async Task<List<Refund>> SimulatorRefundsAsync(string orderNo)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        return (await http.GetFromJsonAsync<List<Refund>>($"/simulator/orders/{orderNo}/refunds", WeChatPayJson.Options))!;
    }

    /// <summary>The simulator's own answer to paying the order again (its refusal names the trade state).</summary>
    internal async Task<(HttpStatusCode Status, string Body)> PayAgainAsync(string orderNo)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        using var response = await http.PostAsJsonAsync("/simulator/pay", new PayCommand(OutTradeNo: orderNo), SimulatorControls.Json);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    internal Task<(HttpStatusCode Status, string? Code)> FaultAsync(FaultCommand fault) => Controls.PostAsync("/simulator/faults", fault);

    internal async Task ClearFaultsAsync()
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        using var response = await http.DeleteAsync("/simulator/faults");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>The order's events in the admin log, oldest first: (type, payload).</summary>
    public async Task<List<(string Type, JsonElement Payload)>> EventsAsync(string orderNo)
    {
        var events = Refit.RestService.For<IOrderEventsApi>(Cluster.CreateClient(TestTokens.Admin()),
            new Refit.RefitSettings(new Refit.SystemTextJsonContentSerializer(Shop.Client.ShopJson.CreateOptions())));
        var found = new List<(string, JsonElement)>();
        for (long after = 0; ;)
        {
            var page = await events.GetOrderEventsAsync(after, OrderEventPageResponse.MaxLimit);
            found.AddRange(page.Events.Where(e => e.OrderNo == orderNo).Select(e => (e.Type, e.Payload)));
            if (page.Events.Count == 0)
            {
                return found;
            }

            after = page.Next;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RefundsCollection : ICollectionFixture<RefundsCluster>
{
    public const string Name = "refunds";
}

internal static class RefundTestSupport
{
    public static CreateRefundRequest Refund(long amountFen, string reason = "商品破损，部分退款") => new(amountFen, reason);

    public static string Key() => Guid.NewGuid().ToString();

    /// <summary>201 with the refund.</summary>
    public static async Task<RefundResponse> RefundOkAsync(this IOrdersApi admin, string orderNo, CreateRefundRequest request, string key) =>
        OrderTestSupport.Ok(await admin.RefundOrderAsync(orderNo, request, key), HttpStatusCode.Created);

    /// <summary>A problem's extension member (e.g. refundableFen), read from the raw body.</summary>
    public static JsonElement Extension<T>(this Refit.IApiResponse<T> response, string name) =>
        JsonDocument.Parse(((Refit.ApiException)response.Error!).Content!).RootElement.GetProperty(name);
}
