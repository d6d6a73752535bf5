using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Payments.Reconciliation;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>WeChat Pay answered STATEMENT_CREATING: the bills of the date are still being made.</summary>
public sealed class BillNotReadyException(string message) : Exception(message);

/// <summary>
/// Bills that WeChat Pay is still making, and the refunds recorded on the day. A date whose bills are not made yet is
/// not a failure: the run waits (status waiting, WeChat Pay's answer as the error) and the date's reminder asks again
/// every RetryEvery, until BillWaitLimit after the first such answer; then the date fails and stops retrying, for the
/// unreconciled-day alert and an operator's re-run.
/// </summary>
public sealed partial class BillReconciliationGrain
{
    private async Task WaitForBillsAsync(BillNotReadyException notReady)
    {
        try
        {
            var now = clock.GetUtcNow();
            var since = await store.WaitRunAsync(Date, notReady.Message, now);
            if (now - since < options.Value.BillWaitLimit)
            {
                logger.LogInformation("The bills of {BillDate} are not made yet ({Answer}); asked again in {RetryEvery}", Date, notReady.Message,
                    options.Value.RetryEvery);
                return;
            }

            logger.LogError("The bills of {BillDate} were still not made {Waited} after the first try ({Answer}); the date is given up until re-run",
                Date, now - since, notReady.Message);
            await store.FailRunAsync(Date, $"bills not made after waiting {options.Value.BillWaitLimit}: {notReady.Message}", now);
            await StopRetryingAsync();
        }
        catch (Exception ex)
        {
            // The reminder asks again; the wait is bounded from the first answer that was recorded.
            logger.LogWarning(ex, "The wait for the bills of {BillDate} could not be recorded", Date);
        }
    }

    private async Task<List<ShopRefundOnDay>> RecordedRefundsAsync()
    {
        var start = ReconciliationOptions.DayStart(Date);
        var all = new List<ShopRefundOnDay>();
        ShopRefundOnDay? after = null;
        for (var page = 0; page < MaxRecordedPages; page++)
        {
            var rows = await store.RefundsSucceededBetweenAsync(start, start.AddDays(1), options.Value.RefundMissingFromBillWindow, after, Batch);
            all.AddRange(rows);
            if (rows.Count < Batch)
            {
                break;
            }

            after = rows[^1];
        }

        return all;
    }
}
