using Shop.Client.AfterSales;
using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using static Shop.Tests.AfterSales.AfterSalesCluster;

namespace Shop.Tests.AfterSales;

/// <summary>
/// The after-sales metrics on the silo's /metrics as Prometheus reads them: counters moved by a request opened,
/// approved and refunded; gauges of requests by status agreeing with the admin's counts; the setting the alert
/// ShopAfterSalesDecisionOverdue compares with.
/// </summary>
[Collection(AfterSalesCollection.Name)]
public sealed class AfterSalesMetricsTests(AfterSalesCluster afterSales)
{
    [Fact]
    public async Task A_request_opened_approved_and_refunded_moves_the_counters_and_the_gauges_follow_the_requests_by_status()
    {
        var before = await SiloAsync();
        var (token, order) = await afterSales.PaidOrderAsync("metrics", (1, 1_999));

        var opened = await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1)));
        var toReview = OrderTestSupport.Ok(await afterSales.Admin.ListAsync(AfterSalesStatuses.Requested, size: 1)).Counts[AfterSalesStatuses.Requested];
        var waiting = await Poll.UntilAsync(SiloAsync, m => m.Sum("shop_after_sales_requests", ("status", "Requested")) == toReview,
            TimeSpan.FromSeconds(20), "the Requested gauge at the admin's count");
        Assert.True(waiting.Sum("shop_after_sales_oldest_requested_seconds") >= 0);
        Assert.Equal(TimeSpan.FromDays(2).TotalSeconds, waiting.Sum("shop_after_sales_merchant_response_time_seconds"));
        Assert.True(Moved(before, waiting, "shop_after_sales_opened_total", ("kind", "RefundOnly")) >= 1);

        var approved = OrderTestSupport.Ok(await afterSales.Admin.ApproveAsync(opened.RequestId, new AfterSalesDecisionRequest("同意")));
        await afterSales.Controls.SettleRefundAsync(approved.OutRefundNo!, "success");
        await afterSales.WaitForAsync(opened.RequestId, AfterSalesStatuses.Refunded);

        var refunded = OrderTestSupport.Ok(await afterSales.Admin.ListAsync(AfterSalesStatuses.Refunded, size: 1)).Counts[AfterSalesStatuses.Refunded];
        var after = await Poll.UntilAsync(SiloAsync, m => m.Sum("shop_after_sales_requests", ("status", "Refunded")) == refunded
            && Moved(before, m, "shop_after_sales_refunded_total") >= 1, TimeSpan.FromSeconds(20), "the refund on the gauges and counters");
        Assert.True(Moved(before, after, "shop_after_sales_decided_total", ("decision", "Approve")) >= 1);
        Assert.True(Moved(before, after, "shop_after_sales_refunded_fen_total") >= 1_999);
    }

    private Task<PrometheusText> SiloAsync() => PrometheusText.ScrapeAsync(afterSales.Cluster.Silos[0].HttpAddress);

    private static double Moved(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
