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
/// A day of business at the simulator, then its bills reconciled through the admin API once WeChat Pay has made them
/// (the run waits, bounded, while it has not): exactly the expected differences, the lost payment settled through the
/// notification path, a re-run that changes nothing, a tampered download refused (and the run retried by itself), and
/// the daily trigger.
/// </summary>
[Collection(ReconciliationCollection.Name)]
public sealed class DailyReconciliationTests(ReconciliationCluster recon)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private ShopTestCluster Cluster => recon.Cluster;

    [Fact]
    public async Task A_day_with_payments_refunds_a_lost_notification_and_injected_differences_ends_with_exactly_those_differences()
    {
        // The bill dates are the Beijing days the business below falls on: one, or two when it runs across midnight
        // (16:00 UTC); every count below is over all of them, so the outcome does not depend on when the test runs.
        var firstDay = BeijingToday();

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
        // Refunded here only: a REFUND.SUCCESS for a refund WeChat Pay still has PROCESSING, so no bill lists it.
        var (refundHereToken, refundHere) = await recon.OrderAsync("refund-here-only");
        await Cluster.WaitForStatusAsync(refundHereToken, refundHere.OrderNo, OrderStatuses.Paid);
        var hereOnly = OrderTestSupport.Ok(await admin.RefundOrderAsync(refundHere.OrderNo, new CreateRefundRequest(700, "少发一罐"), Guid.NewGuid().ToString("N")),
            HttpStatusCode.Created);
        await recon.RefundOnlyHereAsync(refundHere.OrderNo, hereOnly.OutRefundNo, 700, refundHere.TotalFen);
        await Poll.UntilAsync(async () => OrderTestSupport.Ok(await admin.GetOrderAsync(refundHere.OrderNo)), o => o.RefundedFen == 700, what: "the refund to be recorded");
        // The first day's trade bill states a 手续费总金额 one fen more than its rows' fees.
        await recon.BillControlAsync("fee-total", new FeeTotalCommand(Key(firstDay), 1));
        var lastDay = BeijingToday();
        string[] billDates = [.. Enumerable.Range(0, lastDay.DayNumber - firstDay.DayNumber + 1).Select(i => Key(firstDay.AddDays(i)))];

        // WeChat Pay makes a day's bills the next morning; until then it answers STATEMENT_CREATING and the run waits,
        // asking again every 2 s, for 10 s at most here: then the date is given up as failed, and its own reminder stops
        // (the scheduler goes back only for dates up to the latest due one, and this one is today).
        await recon.StartRunAsync(billDates[0]);
        var waiting = await recon.WaitForRunAsync(billDates[0], r => r.Status == "waiting");
        Assert.Contains("STATEMENT_CREATING", waiting.Error);
        Assert.NotNull(waiting.WaitingSince);
        var gaveUp = await recon.WaitForRunAsync(billDates[0], r => r.Status == "failed");
        Assert.Contains("bills not made after waiting", gaveUp.Error);
        Assert.True(gaveUp.Attempt > waiting.Attempt, "the date's reminder asked again while waiting");
        // Re-run by an operator, it waits afresh, and completes by itself once the bills are made.
        var runs = new List<BillRunResponse>();
        foreach (var billDate in billDates)
        {
            await recon.StartRunAsync(billDate);
            Assert.Contains("STATEMENT_CREATING", (await recon.WaitForRunAsync(billDate, r => r.Status == "waiting")).Error);
            await recon.BillControlAsync("make", new MakeBillsCommand(billDate));
            runs.Add(await recon.WaitForRunAsync(billDate, r => r.Status == "completed"));
        }

        // 8 payments (7 orders + the unknown one) and 2 refunds; the fund flow has each payment, its fee and each refund.
        Assert.Equal((10, 8 + 8 + 2, 8, 2), (runs.Sum(r => r.TradeRows), runs.Sum(r => r.FundRows), runs.Sum(r => r.Differences), runs.Sum(r => r.Settled)));
        // Matched: of the trade rows the normal payment, the refunded one and its refund, the manually refunded payment and
        // the payment refunded here only (5; the lost and the cancelled payments were not recorded yet, the changed,
        // unknown and manual-refund rows differ); all 18 fund-flow rows agree with the trade bill.
        Assert.Equal(5 + 18, runs.Sum(r => r.Matched));
        var differences = await DifferencesAsync(billDates);
        (string Kind, string? OutTradeNo, string Status)[] expected =
            [
                ("AMOUNT_MISMATCH", changed.OrderNo, "open"),
                ("FEE_TOTALS", null, "open"),
                ("MISSING_FROM_BILL", onlyHere.OrderNo, "open"),
                ("PAID_NOT_RECORDED", cancelled.OrderNo, "settled"),
                ("PAID_NOT_RECORDED", lost.OrderNo, "settled"),
                ("REFUND_MISMATCH", manual.OrderNo, "open"),
                ("REFUND_MISSING_FROM_BILL", refundHere.OrderNo, "open"),
                ("UNKNOWN_PAYMENT", unknown.OutTradeNo, "open"),
            ];
        Assert.Equal(expected.Order(), differences.Select(d => (d.Kind, d.OutTradeNo, d.Status)).Order());
        Assert.Equal((5_000L, 3_998L), (differences.Single(d => d.Kind == "AMOUNT_MISMATCH").BillFen, differences.Single(d => d.Kind == "AMOUNT_MISMATCH").ShopFen));
        Assert.Equal((manualRefund.OutRefundNo, 500L), (differences.Single(d => d.Kind == "REFUND_MISMATCH").OutRefundNo, differences.Single(d => d.Kind == "REFUND_MISMATCH").BillFen));
        Assert.Equal((hereOnly.OutRefundNo, 700L), (differences.Single(d => d.Kind == "REFUND_MISSING_FROM_BILL").OutRefundNo, differences.Single(d => d.Kind == "REFUND_MISSING_FROM_BILL").ShopFen));
        // The summary's fee total against its rows' fees (0.60% of each payment as billed, rounded half up to the fen:
        // 6 × 3998 → 24, the changed 5000 → 30, 777 → 5).
        var fees = differences.Single(d => d.Kind == "FEE_TOTALS");
        Assert.Equal((billDates[0], fees.ShopFen + 1), (fees.BillDate, fees.BillFen));
        Assert.True(billDates.Length > 1 || fees.ShopFen == 6 * 24 + 30 + 5, $"the first day's rows charge {fees.ShopFen} fen of fees");
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
        var openNow = (await recon.Admin.ListDifferencesAsync(status: "open", limit: 500)).Content!.Items;
        Assert.Equal(5, openNow.Count);

        // The silo's metrics: differences found by kind, and (cluster-wide, from PostgreSQL) those left open.
        var metrics = await Poll.UntilAsync(() => PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress),
            m => m.Sum(ReconciliationMetrics.OpenName) == 5, TimeSpan.FromSeconds(40), "the open-differences gauge to count 5");
        Assert.Equal(1, metrics.Sum(ReconciliationMetrics.DifferencesName, ("kind", "UNKNOWN_PAYMENT"), ("status", "open")));
        Assert.Equal(1, metrics.Sum(ReconciliationMetrics.DifferencesName, ("kind", "REFUND_MISSING_FROM_BILL"), ("status", "open")));
        Assert.Equal(2, metrics.Sum(ReconciliationMetrics.DifferencesName, ("kind", "PAID_NOT_RECORDED"), ("status", "settled")));
        Assert.True(metrics.Sum(ReconciliationMetrics.LastDayName) > 0);
        Assert.Equal(8, metrics.Sum(ReconciliationMetrics.DifferencesName));

        // A re-run changes nothing: the same records, the settled payment not applied again, the resolution kept.
        var before = await DifferencesAsync(billDates);
        var again = new List<BillRunResponse>();
        foreach (var (billDate, run) in billDates.Zip(runs))
        {
            await recon.StartRunAsync(billDate);
            again.Add(await recon.WaitForRunAsync(billDate, r => r.Status == "completed" && r.Attempt > run.Attempt));
        }

        Assert.Equal((10, 18, 6, 0), (again.Sum(r => r.TradeRows), again.Sum(r => r.FundRows), again.Sum(r => r.Differences), again.Sum(r => r.Settled)));
        // The two payments settled by the first run are recorded now, so their rows match too.
        Assert.Equal(5 + 2 + 18, again.Sum(r => r.Matched));
        Assert.Equal(before.Select(d => (d.Id, d.Kind, d.Status, d.ResolvedBy)), (await DifferencesAsync(billDates)).Select(d => (d.Id, d.Kind, d.Status, d.ResolvedBy)));
        Assert.Equal(1, OrderTestSupport.Ok(await Cluster.Orders(lostToken).GetOrderAsync(lost.OrderNo)).Transitions("Pay"));

        // A download whose bytes do not hash to what WeChat Pay announced is refused; the date's reminder runs it again.
        await recon.TamperNextDownloadAsync();
        var tampered = await recon.StartRunAsync(billDates[0]);
        var refused = await recon.WaitForRunAsync(billDates[0], r => r.Status == "failed" && r.Attempt == tampered.Attempt);
        Assert.Contains("SHA1", refused.Error);
        var retried = await recon.WaitForRunAsync(billDates[0], r => r.Status == "completed" && r.Attempt > refused.Attempt);
        Assert.Equal((again[0].TradeRows, again[0].Differences), (retried.TradeRows, retried.Differences));
        Assert.Equal(before.Select(d => (d.Id, d.Status)), (await DifferencesAsync(billDates)).Select(d => (d.Id, d.Status)));

        // Neither the re-runs nor the retry found anything new: the differences counter has not moved.
        var after = await PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress);
        Assert.Equal(8, after.Sum(ReconciliationMetrics.DifferencesName));
        Assert.Equal(2, after.Sum(ReconciliationMetrics.DifferencesName, ("kind", "PAID_NOT_RECORDED"), ("status", "settled")));
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

    private static DateOnly BeijingToday() => DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(Beijing).DateTime);

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<DifferenceResponse>> DifferencesAsync(string[] billDates)
    {
        var all = new List<DifferenceResponse>();
        foreach (var billDate in billDates)
        {
            all.AddRange(await recon.DifferencesAsync(billDate));
        }

        return all;
    }
}
