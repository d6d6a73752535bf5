using System.Net;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Client.Reconciliation;
using Shop.Grains.Payments.Reconciliation;
using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Bills;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>
/// A day of business at the simulator, then its bills reconciled through the admin API: exactly the expected
/// differences, the lost payment settled through the notification path, a re-run that changes nothing, a tampered
/// download refused (and the run retried by itself), and the daily trigger.
/// </summary>
[Collection(ReconciliationCollection.Name)]
public sealed class DailyReconciliationTests(ReconciliationCluster recon)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private ShopTestCluster Cluster => recon.Cluster;

    [Fact]
    public async Task A_day_with_payments_refunds_a_lost_notification_and_injected_differences_ends_with_exactly_those_differences()
    {
        // Paid and notified: matches. Paid, refunded by the merchant and settled: both rows match.
        var (normalToken, normal) = await recon.OrderAsync("normal");
        var (refundedToken, refunded) = await recon.OrderAsync("refunded");
        await Cluster.WaitForStatusAsync(normalToken, normal.OrderNo, OrderStatuses.Paid);
        await Cluster.WaitForStatusAsync(refundedToken, refunded.OrderNo, OrderStatuses.Paid);
        var admin = Cluster.Orders(TestTokens.Admin("finance-1"));
        var refund = OrderTestSupport.Ok(await admin.RefundOrderAsync(refunded.OrderNo, new CreateRefundRequest(1_000, "一罐破损"), Guid.NewGuid().ToString("N")),
            HttpStatusCode.Created);
        await recon.Controls.SettleRefundAsync(refund.OutRefundNo, "success");
        await Poll.UntilAsync(async () => OrderTestSupport.Ok(await admin.GetOrderAsync(refunded.OrderNo)), o => o.RefundedFen == 1_000, what: "the refund to succeed");

        // Paid, every notification lost: still unpaid here.
        var (lostToken, lost) = await recon.OrderAsync("lost", loseNotifications: true);
        // Paid and notified, then a manual refund in the merchant platform, and a bill amount that differs.
        var (manualToken, manual) = await recon.OrderAsync("manual");
        var (changedToken, changed) = await recon.OrderAsync("changed");
        await Cluster.WaitForStatusAsync(manualToken, manual.OrderNo, OrderStatuses.Paid);
        await Cluster.WaitForStatusAsync(changedToken, changed.OrderNo, OrderStatuses.Paid);
        var manualRefund = await recon.BillControlAsync<InjectedBillRow>("manual-refund", new ManualRefundCommand(manual.OrderNo, 500));
        await recon.BillControlAsync<InjectedBillRow>("changed-amount", new ChangedAmountCommand(changed.OrderNo, 5_000));
        var unknown = await recon.BillControlAsync<InjectedBillRow>("unknown-payment", new UnknownPaymentCommand(777));
        // Cancelled (its transaction closed), yet WeChat Pay took a payment for it that nobody heard of.
        var (cancelledToken, cancelled) = await recon.OrderAsync("cancelled", pay: false);
        Assert.Equal(OrderStatuses.Cancelled, OrderTestSupport.Ok(await Cluster.Orders(cancelledToken).CancelOrderAsync(cancelled.OrderNo)).Status);
        await recon.BillControlAsync<InjectedBillRow>("unknown-payment", new UnknownPaymentCommand(cancelled.TotalFen, cancelled.OrderNo));
        // Paid here only (a notification of a payment WeChat Pay's bill does not have).
        var (_, onlyHere) = await recon.OrderAsync("only-here", pay: false);
        await recon.PayOnlyHereAsync(onlyHere);
        Assert.Equal(OrderStatuses.PendingPayment, OrderTestSupport.Ok(await Cluster.Orders(lostToken).GetOrderAsync(lost.OrderNo)).Status);

        var billDate = DateTimeOffset.UtcNow.ToOffset(Beijing).ToString("yyyy-MM-dd");
        var started = await recon.Admin.RunBillDateAsync(billDate);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = await recon.WaitForRunAsync(billDate, r => r.Status == "completed");

        // 7 payments (6 orders + the unknown one) and 2 refunds; the fund flow has each payment, its fee and each refund.
        Assert.Equal((9, 7 + 7 + 2, 6, 2), (run.TradeRows, run.FundRows, run.Differences, run.Settled));
        var differences = await recon.DifferencesAsync(billDate);
        (string Kind, string? OutTradeNo, string Status)[] expected =
            [
                ("AMOUNT_MISMATCH", changed.OrderNo, "open"),
                ("MISSING_FROM_BILL", onlyHere.OrderNo, "open"),
                ("PAID_NOT_RECORDED", cancelled.OrderNo, "settled"),
                ("PAID_NOT_RECORDED", lost.OrderNo, "settled"),
                ("REFUND_MISMATCH", manual.OrderNo, "open"),
                ("UNKNOWN_PAYMENT", unknown.OutTradeNo, "open"),
            ];
        Assert.Equal(expected.Order(), differences.Select(d => (d.Kind, d.OutTradeNo, d.Status)).Order());
        Assert.Equal((5_000L, 3_998L), (differences.Single(d => d.Kind == "AMOUNT_MISMATCH").BillFen, differences.Single(d => d.Kind == "AMOUNT_MISMATCH").ShopFen));
        Assert.Equal((manualRefund.OutRefundNo, 500L), (differences.Single(d => d.Kind == "REFUND_MISMATCH").OutRefundNo, differences.Single(d => d.Kind == "REFUND_MISMATCH").BillFen));
        Assert.Contains("now Paid", differences.Single(d => d.OutTradeNo == lost.OrderNo).Settlement);
        Assert.Contains("refunded in full automatically", differences.Single(d => d.OutTradeNo == cancelled.OrderNo).Settlement);

        // The lost payment was applied as a notification would: paid once, the stock sold.
        var settled = OrderTestSupport.Ok(await Cluster.Orders(lostToken).GetOrderAsync(lost.OrderNo));
        Assert.Equal((OrderStatuses.Paid, 1), (settled.Status, settled.Transitions("Pay")));
        // The payment on the cancelled order was refunded in full, as the late-payment rule does for a notification.
        var stillCancelled = OrderTestSupport.Ok(await Cluster.Orders(cancelledToken).GetOrderAsync(cancelled.OrderNo));
        Assert.Equal(OrderStatuses.Cancelled, stillCancelled.Status);
        var automatic = Assert.Single(await recon.SimulatorRefundsAsync(cancelled.OrderNo));
        Assert.Equal(cancelled.TotalFen, automatic.Amount!.Refund);

        // An operator works the queue: resolved once, with who and why; not twice; unknown ids are 404.
        var open = differences.Single(d => d.Kind == "REFUND_MISMATCH");
        var resolved = await recon.Admin.ResolveDifferenceAsync(open.Id, new ResolveDifferenceRequest("商户平台手工退款，已核对"));
        Assert.Equal(("resolved", "admin:finance-1", "商户平台手工退款，已核对"), (resolved.Content!.Status, resolved.Content.ResolvedBy, resolved.Content.Resolution));
        OrderTestSupport.Problem(await recon.Admin.ResolveDifferenceAsync(open.Id, new ResolveDifferenceRequest("again")), HttpStatusCode.Conflict,
            ReconciliationErrorCodes.DifferenceNotOpen);
        OrderTestSupport.Problem(await recon.Admin.ResolveDifferenceAsync("rd_nope", new ResolveDifferenceRequest("x")), HttpStatusCode.NotFound,
            ReconciliationErrorCodes.DifferenceNotFound);
        OrderTestSupport.Problem(await recon.Admin.ResolveDifferenceAsync(open.Id, new ResolveDifferenceRequest(" ")), HttpStatusCode.BadRequest,
            ShopErrorCodes.ValidationFailed);
        var openNow = (await recon.Admin.ListDifferencesAsync(status: "open", billDate: billDate)).Content!.Items;
        Assert.Equal(3, openNow.Count);

        // The silo's metrics: differences found by kind, and (cluster-wide, from PostgreSQL) those left open.
        var metrics = await Poll.UntilAsync(() => PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress),
            m => m.Sum(ReconciliationMetrics.OpenName) == 3, TimeSpan.FromSeconds(40), "the open-differences gauge to count 3");
        Assert.Equal(1, metrics.Sum(ReconciliationMetrics.DifferencesName, ("kind", "UNKNOWN_PAYMENT"), ("status", "open")));
        Assert.Equal(2, metrics.Sum(ReconciliationMetrics.DifferencesName, ("kind", "PAID_NOT_RECORDED"), ("status", "settled")));
        Assert.True(metrics.Sum(ReconciliationMetrics.LastDayName) > 0);

        // A re-run changes nothing: the same records, the settled payment not applied again, the resolution kept.
        var before = await recon.DifferencesAsync(billDate);
        await recon.Admin.RunBillDateAsync(billDate);
        var again = await recon.WaitForRunAsync(billDate, r => r.Status == "completed" && r.Attempt == run.Attempt + 1);
        Assert.Equal((9, 16, 4, 0), (again.TradeRows, again.FundRows, again.Differences, again.Settled));
        Assert.Equal(before.Select(d => (d.Id, d.Kind, d.Status, d.ResolvedBy)), (await recon.DifferencesAsync(billDate)).Select(d => (d.Id, d.Kind, d.Status, d.ResolvedBy)));
        Assert.Equal(1, OrderTestSupport.Ok(await Cluster.Orders(lostToken).GetOrderAsync(lost.OrderNo)).Transitions("Pay"));

        // A download whose bytes do not hash to what WeChat Pay announced is refused; the date's reminder runs it again.
        await recon.TamperNextDownloadAsync();
        await recon.Admin.RunBillDateAsync(billDate);
        var refused = await recon.WaitForRunAsync(billDate, r => r.Status == "failed");
        Assert.Contains("SHA1", refused.Error);
        var retried = await recon.WaitForRunAsync(billDate, r => r.Status == "completed" && r.Attempt > refused.Attempt);
        Assert.Equal((9, 4), (retried.TradeRows, retried.Differences));
        Assert.Equal(before.Select(d => (d.Id, d.Status)), (await recon.DifferencesAsync(billDate)).Select(d => (d.Id, d.Status)));
    }

    [Fact]
    public async Task The_daily_trigger_reconciles_the_due_bill_date_and_the_routes_check_their_input()
    {
        var due = new ReconciliationOptions().DueBillDate(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd");
        var run = await recon.WaitForRunAsync(due, r => r.Status == "completed");
        Assert.Equal(("system:daily", 0, 0), (run.RequestedBy, run.TradeRows, run.Differences));
        Assert.Contains((await recon.Admin.ListBillRunsAsync()).Content!.Items, r => r.BillDate == due);

        OrderTestSupport.Problem(await recon.Admin.RunBillDateAsync("2026-13-01"), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        OrderTestSupport.Problem(await recon.Admin.RunBillDateAsync(DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd")), HttpStatusCode.BadRequest,
            ShopErrorCodes.ValidationFailed);
        OrderTestSupport.Problem(await recon.Admin.GetBillRunAsync("2020-01-01"), HttpStatusCode.NotFound, ReconciliationErrorCodes.BillRunNotFound);
        OrderTestSupport.Problem(await recon.Admin.ListDifferencesAsync(status: "closed"), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        var customer = ReconciliationApiClient.Create(Cluster.CreateClient(TestTokens.Customer()));
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.ListBillRunsAsync()).StatusCode);
    }
}
