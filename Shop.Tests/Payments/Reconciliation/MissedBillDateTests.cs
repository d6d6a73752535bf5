using Shop.Grains.Payments.Reconciliation;
using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;
using Shop.WeChatPay.Simulator.Bills;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>
/// A bill date that fails for good while a later one completes is not left behind: the unreconciled-days gauge counts it
/// (the latest completed day alone would say all is well) and the scheduler starts it again until it completes.
/// </summary>
[Collection(ReconciliationCollection.Name)]
public sealed class MissedBillDateTests(ReconciliationCluster recon)
{
    [Fact]
    public async Task A_date_given_up_behind_a_completed_later_date_is_counted_and_started_again_by_the_scheduler()
    {
        var due = new ReconciliationOptions().DueBillDate(DateTimeOffset.UtcNow);
        var day = Key(due.AddDays(-1));
        // The latest due date completes by the daily trigger (no business that day: no bill, nothing to match).
        await recon.WaitForRunAsync(Key(due), r => r.Status == "completed");

        // WeChat Pay has not made the day before's bills: an operator's run of it waits, then gives up (its own reminder stops).
        await recon.BillControlAsync("hold", new HoldBillsCommand(day));
        Assert.Equal("admin:finance-1", (await recon.StartRunAsync(day)).RequestedBy);
        var gaveUp = await recon.WaitForRunAsync(day, r => r.Status == "failed" && r.Error!.Contains("bills not made after waiting"));

        // The gauge counts it, although a later day is reconciled (ShopBillsUnreconciled only sees the latest completed day).
        // Both figures come from one read of PostgreSQL: one that already saw the due date completed must count this date.
        var dueEnd = ReconciliationOptions.DayStart(due.AddDays(1)).ToUnixTimeSeconds();
        await Poll.UntilAsync(() => PrometheusText.ScrapeAsync(recon.Cluster.Silos[0].HttpAddress),
            m => m.Sum(ReconciliationMetrics.LastDayName) >= dueEnd && m.Sum(ReconciliationMetrics.UnreconciledDaysName) == 1, TimeSpan.FromSeconds(60),
            "the unreconciled-days gauge to count the given-up date behind the completed due date");

        // The scheduler starts it again while WeChat Pay is still late (each attempt fails at once: the wait ran out)...
        var retried = await recon.WaitForRunAsync(day, r => r.RequestedBy == ReconciliationSchedulerGrain.CatchUpActor && r.Attempt > gaveUp.Attempt);
        Assert.NotEqual("completed", retried.Status);
        // ...and once the bills are made, one of its attempts completes the date.
        await recon.BillControlAsync("make", new MakeBillsCommand(day));
        var done = await recon.WaitForRunAsync(day, r => r.Status == "completed");
        Assert.Equal((ReconciliationSchedulerGrain.CatchUpActor, 0), (done.RequestedBy, done.TradeRows));

        await Poll.UntilAsync(() => PrometheusText.ScrapeAsync(recon.Cluster.Silos[0].HttpAddress),
            m => m.Sum(ReconciliationMetrics.UnreconciledDaysName) == 0, TimeSpan.FromSeconds(60), "the unreconciled-days gauge back to 0");
    }

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
