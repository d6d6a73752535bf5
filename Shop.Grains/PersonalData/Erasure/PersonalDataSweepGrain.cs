using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Hosting;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.PersonalData.Erasure;

/// <summary>
/// The cluster's one personal-data job (a single activation, kept alive by one durable reminder, like the due-order
/// sweep): every <see cref="PrivacyOptions.SweepInterval"/> it continues the erasure requests whose wait is over, then
/// anonymises finished orders older than the retention period, at most ten pages of
/// <see cref="PrivacyOptions.RetentionBatchSize"/> per run (keyset paging, so orders that must wait, e.g. with an open
/// after-sales request, never hide the ones behind them). The next run goes on from where this one stopped (a cursor
/// in memory, back to the head once a run reaches the end), so more waiting orders than ten pages hold never starve the
/// ones behind them. Restart-safe without a stored cursor: an anonymised order leaves the retention index, and a new
/// activation starts from the head.
/// </summary>
public sealed class PersonalDataSweepGrain(
    IErasureStore store,
    ErasureMetrics metrics,
    IOptions<PrivacyOptions> options,
    [FromKeyedServices(PrivacyRegistration.ClockKey)] TimeProvider clock,
    ILogger<PersonalDataSweepGrain> logger) : ClusterSweepGrain("personal-data", "Personal-data sweep", logger), IPersonalDataSweepGrain
{
    private const int MaxRetentionPages = 10;
    private const int MaxErasuresPerRun = 100;

    private readonly PrivacyOptions _options = options.Value;
    private ExpiredOrder? _retentionCursor;

    protected override TimeSpan ReminderPeriod => _options.ReminderPeriod;

    protected override TimeSpan SweepInterval => _options.SweepInterval;

    protected override Task SweepOnceAsync() => SweepAsync();

    public async Task<PersonalDataSweepResult> SweepAsync()
    {
        var continued = 0;
        foreach (var lookupKey in await store.ListDueAsync(clock.GetUtcNow(), MaxErasuresPerRun))
        {
            try
            {
                await GrainFactory.GetGrain<IErasureGrain>(lookupKey).ContinueAsync();
                continued++;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Erasure request {LookupKey} could not continue yet; the next sweep tries again", lookupKey);
            }
        }

        var anonymised = await RetainAsync();
        var (pending, completed) = await store.CountAsync();
        metrics.Counted(pending, completed);
        return new PersonalDataSweepResult(continued, anonymised);
    }

    private async Task<int> RetainAsync()
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays);
        var anonymised = 0;
        var after = _retentionCursor;
        for (var page = 0; page < MaxRetentionPages; page++)
        {
            var expired = await store.ListExpiredOrdersAsync(cutoff, after, _options.RetentionBatchSize);
            // A run that reaches the end sends the next one back to the head (orders that waited may be due by then).
            _retentionCursor = expired.Count < _options.RetentionBatchSize ? null : expired[^1];
            foreach (var order in expired)
            {
                try
                {
                    if (await GrainFactory.GetGrain<IOrderErasureGrain>(order.OrderNo).AnonymiseExpiredAsync(cutoff) is { } outcome)
                    {
                        foreach (var requestId in outcome.AfterSalesRequestIds ?? [])
                        {
                            await GrainFactory.GetGrain<IAfterSalesGrain>(requestId).AsReference<IPersonalDataHolderGrain>().ErasePersonalDataAsync(null);
                        }

                        anonymised++;
                    }
                }
                catch (Exception ex)
                {
                    // It stays in the index: the next run tries again.
                    logger.LogWarning(ex, "Order {OrderNo} could not be anonymised for retention yet", order.OrderNo);
                }
            }

            if (expired.Count < _options.RetentionBatchSize)
            {
                break;
            }

            after = expired[^1];
        }

        if (anonymised > 0)
        {
            metrics.Anonymised("retention", anonymised);
            logger.LogInformation("Retention: anonymised {Count} orders finished before {Cutoff}", anonymised, cutoff);
        }

        return anonymised;
    }
}
