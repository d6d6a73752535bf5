using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Client.AfterSales;
using Shop.Client.Audit;
using Shop.Client.Orders;
using Shop.Grains.AfterSales;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.AfterSales;

/// <summary>
/// The real silo and API on PostgreSQL with the WeChat Pay simulator, the after-sales deadlines on a clock the tests
/// set (the sweep itself runs every second on real time and compares due times with that clock), reconciliation far
/// away, and refunds settled by the tests at the simulator.
/// </summary>
public sealed class AfterSalesCluster : PaymentsCluster
{
    public AfterSalesClock Clock { get; } = new();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Payments:ReconcileAfter:0"] = "00:30:00",
        ["Payments:ReconcileAfter:1"] = "00:40:00",
        ["Payments:RefundQueryAfter"] = "00:00:05",
        ["Payments:RefundQueryEvery"] = "00:00:02",
        ["AfterSales:DueSweepInterval"] = "00:00:01",
        ["AfterSales:RefundFollowUp"] = "00:00:02",
        ["AfterSales:MetricsInterval"] = "00:00:01",
    };

    protected override void ConfigureHostServices(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(AfterSalesRegistration.ClockKey, Clock);

    public IAfterSalesApi Admin => AfterSalesApiClient.Create(Cluster.CreateClient(TestTokens.Admin("after-sales-admin")));

    public IAfterSalesApi Customer(string token) => AfterSalesApiClient.Create(Cluster.CreateClient(token));

    /// <summary>A signed-in WeChat customer with a paid order of <paramref name="lines"/> (quantity, unit price) of fresh products with 10 in stock each.</summary>
    public async Task<(string Token, OrderResponse Order)> PaidOrderAsync(string name, params (int Quantity, long Price)[] lines)
    {
        // Each test starts from the real time: a test that moved the clock forward never closes another's window.
        Clock.Reset();
        var token = await LoginAsync(name + "-" + Guid.NewGuid().ToString("N"));
        var items = new List<(string, int)>();
        foreach (var (quantity, price) in lines.Length == 0 ? [(2, 1_999L)] : lines)
        {
            items.Add(((await Cluster.ProductAsync(10, price)).Id, quantity));
        }

        var order = await Cluster.Orders(token).CreateAsync(OrderTestSupport.Request([.. items]));
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);
        await Controls.WaitUntilSettledAsync(order.OrderNo);
        return (token, paid);
    }

    /// <summary>Shipped with today's ship endpoint and, when <paramref name="received"/>, confirmed received by the customer.</summary>
    public async Task ShipAsync(string token, string orderNo, bool received)
    {
        OrderTestSupport.Ok(await Cluster.Orders(TestTokens.Admin()).ShipOrderAsync(orderNo, new ShipOrderRequest("SF", "SF1234567890")));
        if (received)
        {
            OrderTestSupport.Ok(await Cluster.Orders(token).ConfirmReceiptAsync(orderNo));
        }
    }

    public static CreateAfterSalesRequest Request(string kind, params (int Line, int Quantity)[] lines) =>
        new(kind, [.. lines.Select(l => new AfterSalesLineBody(l.Line, l.Quantity))], "商品与描述不符", "盒子压坏了",
            ["https://img.example.com/after-sales/1.jpg"]);

    public async Task<AfterSalesResponse> OpenAsync(string token, string orderNo, CreateAfterSalesRequest request) =>
        OrderTestSupport.Ok(await Customer(token).OpenAsync(orderNo, request), HttpStatusCode.Created);

    public Task<AfterSalesResponse> WaitForAsync(string requestId, string status) =>
        Poll.UntilAsync(async () => OrderTestSupport.Ok(await Admin.GetAsAdminAsync(requestId)), r => r.Status == status,
            TimeSpan.FromSeconds(60), $"after-sales {requestId} to be {status}");

    /// <summary>Every refund the simulator holds for the order: what WeChat Pay would pay out (out_refund_no, fen).</summary>
    public async Task<List<(string OutRefundNo, long Fen)>> SimulatorRefundsAsync(string orderNo)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl };
        var refunds = await http.GetFromJsonAsync<List<Shop.WeChatPay.Api.Refund>>($"/simulator/orders/{orderNo}/refunds", Shop.WeChatPay.Api.WeChatPayJson.Options);
        return [.. refunds!.Select(r => (r.OutRefundNo, r.Amount!.Refund))];
    }

    /// <summary>The types of the order's events in the admin event log, oldest first.</summary>
    public async Task<List<string>> EventTypesAsync(string orderNo) => [.. (await Cluster.EventsOfAsync(orderNo)).Select(e => e.Type)];

    /// <summary>The stock audit's discrepancies about <paramref name="sku"/> (none when everything adds up).</summary>
    public async Task<IReadOnlyList<StockDiscrepancyResponse>> AuditAsync(string sku) =>
        [.. (await StockAuditApiClient.Create(Cluster.CreateClient(TestTokens.Admin())).AuditStockAsync()).Discrepancies.Where(d => d.Sku == sku)];
}

/// <summary>The real clock plus an offset the tests move: time still flows (requests get distinct times), deadlines come at once.</summary>
public sealed class AfterSalesClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}

[CollectionDefinition(Name)]
public sealed class AfterSalesCollection : ICollectionFixture<AfterSalesCluster>
{
    public const string Name = "after-sales";
}
