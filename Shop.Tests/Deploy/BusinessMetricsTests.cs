using System.Net;
using System.Text;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.WeChatPay.Simulator.Controls;
using ApiNames = Shop.Api.Hosting.ShopApiMetrics.Names;
using SiloNames = Shop.Grains.Observability.ShopGrainMetrics.Names;

namespace Shop.Tests.Deploy;

/// <summary>
/// A purchase walk over HTTP moves each business counter it should, read from the silo's and the API's /metrics as
/// Prometheus would. Other test collections share this process (and the "Shop" meter name), so counters are asserted
/// to have moved by at least what this walk did.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class BusinessMetricsTests(PaymentsCluster payments)
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task A_purchase_walk_moves_order_stock_payment_reconciliation_refund_and_wechatpay_metrics_and_the_dashboard_plots_only_exported_ones()
    {
        var silo0 = await SiloAsync();
        var api0 = await ApiAsync();
        var token = await payments.LoginAsync("metrics-" + Guid.NewGuid().ToString("N"));
        var orders = Cluster.Orders(token);

        // Paid: created, reserved, prepaid, notified, confirmed.
        var (paid, _) = await Cluster.OrderAsync(token);
        await payments.Controls.PayAsync(new PayCommand(PrepayId: (await Cluster.PrepayAsync(token, paid.OrderNo)).PrepayId()));
        await Cluster.WaitForStatusAsync(token, paid.OrderNo, OrderStatuses.Paid);

        // Unpaid: prepaid, asked about by reconciliation (3 s after prepay in this cluster), then cancelled (closed, released).
        var (unpaid, _) = await Cluster.OrderAsync(token);
        await Cluster.PrepayAsync(token, unpaid.OrderNo);
        await Poll.UntilAsync(SiloAsync, m => m.Sum(SiloNames.ReconciliationQueries, ("outcome", "unpaid")) > silo0.Sum(SiloNames.ReconciliationQueries, ("outcome", "unpaid")),
            TimeSpan.FromSeconds(30), "a reconciliation query of the unpaid order");
        OrderTestSupport.Ok(await orders.CancelOrderAsync(unpaid.OrderNo));

        // Refused: out of stock, invalid, and a forged notification.
        var scarce = await Cluster.ProductAsync(stock: 1);
        OrderTestSupport.Problem(await orders.CreateOrderAsync(OrderTestSupport.Request((scarce.Id, 2)), OrderTestSupport.NewKey()),
            HttpStatusCode.Conflict, ShopErrorCodes.OutOfStock);
        var invalid = await orders.CreateOrderAsync(OrderTestSupport.Request(), OrderTestSupport.NewKey());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using (var anonymous = Cluster.CreateClient())
        {
            using var forged = await anonymous.PostAsync("/api/payments/wechat/notify", new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.False(forged.IsSuccessStatusCode);
        }

        // Refunded in full: SUBMITTING → PROCESSING at the request, SUCCESS by WeChat Pay's notification.
        var admin = Cluster.Orders(TestTokens.Admin("metrics-admin"));
        var refund = OrderTestSupport.Ok(await admin.RefundOrderAsync(paid.OrderNo, new CreateRefundRequest(paid.TotalFen, "metrics walk"), Guid.NewGuid().ToString()),
            HttpStatusCode.Created);
        await payments.Controls.SettleRefundAsync(refund.OutRefundNo, "success");
        await Cluster.WaitForStatusAsync(token, paid.OrderNo, OrderStatuses.Refunded);

        var silo = await Poll.UntilAsync(SiloAsync, m => m.Sum(SiloNames.Refunds, ("status", "SUCCESS")) > silo0.Sum(SiloNames.Refunds, ("status", "SUCCESS")),
            what: "the refund's SUCCESS on the silo's /metrics");
        var api = await Poll.UntilAsync(ApiAsync, m => Moved(api0, m, ApiNames.Notifications, ("outcome", "accepted")) >= 2,
            what: "both notifications on the API's /metrics");

        Assert.True(Moved(silo0, silo, SiloNames.OrdersCreated) >= 2);
        Assert.True(Moved(silo0, silo, SiloNames.OrdersRejected, ("reason", "out_of_stock")) >= 1);
        Assert.True(Moved(api0, api, ApiNames.OrdersRejected, ("reason", "validation")) >= 1);
        Assert.True(Moved(api0, api, ApiNames.Notifications, ("outcome", "refused")) >= 1);
        Assert.True(Moved(silo0, silo, SiloNames.NotificationsRejected) >= 1);
        Assert.True(Moved(silo0, silo, SiloNames.Reservations) >= 2);
        Assert.True(Moved(silo0, silo, SiloNames.Confirmations) >= 1);
        Assert.True(Moved(silo0, silo, SiloNames.Releases, ("reason", "cancelled")) >= 1);
        Assert.True(Moved(silo0, silo, SiloNames.Refunds, ("status", "SUBMITTING")) >= 1);
        Assert.True(Moved(silo0, silo, SiloNames.Refunds, ("status", "PROCESSING")) >= 1);
        Assert.True(Moved(silo0, silo, SiloNames.WeChatPayCallDuration + "_count", ("operation", "prepay"), ("outcome", "ok")) >= 2);
        Assert.True(Moved(silo0, silo, SiloNames.WeChatPayCallDuration + "_count", ("operation", "close")) >= 1);
        Assert.True(Moved(silo0, silo, SiloNames.WeChatPayCallDuration + "_count", ("operation", "refund")) >= 1);
        Assert.True(silo.Has(SiloNames.StorageWriteErrors), "the storage write-error counter is exported from the start");
        Assert.True(silo.Has(SiloNames.ReconciliationWaiting) && silo.Has(SiloNames.ReconciliationOverdue), 
            "the reconciliation backlog gauges are exported; found " + string.Join(", ", silo.Names.Where(n => n.StartsWith("shop_", StringComparison.Ordinal))));
        Assert.True(api.Has(ApiNames.StockAuditDiscrepancies), "the stock audit gauge is exported");
        AlertRuleTests.AssertDashboardMetricsExported(silo, api);
    }

    [Fact]
    public async Task WeChat_Pay_errors_are_counted_by_operation_and_kind()
    {
        var token = await payments.LoginAsync("metrics-fault-" + Guid.NewGuid().ToString("N"));
        var before = await SiloAsync();
        // One failed attempt (a retry may then succeed): kept to one so no circuit breaker opens for the other tests. A
        // breaker another test of this collection opened answers without calling WeChat Pay: then try a new order once
        // it has closed again (polled, with a deadline).
        var after = await Poll.UntilAsync(async () =>
        {
            var (order, _) = await Cluster.OrderAsync(token);
            Assert.Equal(HttpStatusCode.NoContent, (await payments.Controls.PostAsync("/simulator/faults",
                new FaultCommand("/v3/pay/transactions/jsapi", "POST", Count: 1))).Status);
            await Cluster.Payments(token).PayWithWeChatAsync(order.OrderNo);
            using (var simulator = new HttpClient { BaseAddress = payments.SimulatorUrl })
            {
                // A fault the breaker kept WeChat Pay from seeing must not fail another test's call.
                (await simulator.DeleteAsync("/simulator/faults")).Dispose();
            }

            return await SiloAsync();
        }, now => Moved(before, now, SiloNames.WeChatPayCallErrors, ("operation", "prepay"), ("kind", "http_5xx")) >= 1,
            TimeSpan.FromSeconds(90), "a prepay attempt that reached WeChat Pay and failed");

        Assert.True(Moved(before, after, SiloNames.WeChatPayCallDuration + "_count", ("operation", "prepay"), ("outcome", "error")) >= 1);
    }

    private Task<PrometheusText> SiloAsync() => PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress);

    private Task<PrometheusText> ApiAsync() => PrometheusText.ScrapeAsync(Cluster.ApiAddress);

    private static double Moved(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
