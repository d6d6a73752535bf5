using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>
/// Keeps one product's read-model row in step with the product's state, which is written first and is the truth.
/// Each change is projected right after the state write; a failed projection is retried with backoff on a timer that
/// keeps the activation alive; a new activation repairs a row left behind (crash, or shutdown while the database was
/// unreachable). The read model applies only newer versions, so retries and races are harmless.
/// </summary>
internal sealed class ProductProjection(IGrainBase grain, ICatalogReadModel readModel, CatalogOptions options, ILogger logger)
{
    private ProductDetails? _latest;
    private long _projectedVersion;
    private IGrainTimer? _retryTimer;
    private TimeSpan _retryDelay;

    private bool Behind => _latest is { } latest && _projectedVersion < latest.Version;

    /// <summary>On activation: compares with the read model and re-projects when it is behind.</summary>
    public async Task CatchUpAsync(ProductDetails product, CancellationToken cancellationToken)
    {
        _latest = product;
        try
        {
            _projectedVersion = await readModel.GetVersionAsync(product.Id, cancellationToken) ?? 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not read the catalog read-model version of {ProductId}", product.Id);
        }

        if (Behind)
        {
            ScheduleRetry(TimeSpan.Zero);
        }
    }

    /// <summary>After a state write: projects now, or schedules a retry when the read model cannot be written.</summary>
    public async Task ProjectAsync(ProductDetails product)
    {
        _latest = product;
        await ProjectLatestAsync();
    }

    /// <summary>On deactivation: one last attempt, so a clean shutdown does not leave the row behind.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!Behind)
        {
            return;
        }

        try
        {
            await readModel.UpsertAsync(_latest!, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Catalog read model still behind for {ProductId} at deactivation", _latest!.Id);
        }
    }

    private async Task ProjectLatestAsync()
    {
        var product = _latest!;
        try
        {
            await readModel.UpsertAsync(product);
            _projectedVersion = Math.Max(_projectedVersion, product.Version);
            _retryDelay = TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _retryDelay = _retryDelay == TimeSpan.Zero
                ? options.ProjectionRetryDelay
                : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, options.ProjectionRetryMaxDelay.Ticks));
            logger.LogWarning(ex, "Catalog read-model write of {ProductId} v{Version} failed; retrying in {Delay}",
                product.Id, product.Version, _retryDelay);
            ScheduleRetry(_retryDelay);
        }
    }

    private void ScheduleRetry(TimeSpan dueTime)
    {
        if (_retryTimer is null)
        {
            // KeepAlive: the activation must not be collected while its read-model row lags behind its state.
            _retryTimer = grain.RegisterGrainTimer(RetryAsync, new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _retryTimer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    private Task RetryAsync(CancellationToken cancellationToken) => Behind ? ProjectLatestAsync() : Task.CompletedTask;
}
