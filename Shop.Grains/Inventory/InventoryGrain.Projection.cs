using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Grains.Catalog;

namespace Shop.Grains.Inventory;

/// <summary>
/// Keeps the storefront's "available" column current. Off the answer path: callers never wait for it, at most one
/// write is in flight, at most one per <see cref="InventoryOptions.ProjectionInterval"/>, and a burst of flushes
/// collapses into one write of the newest level. The level is for display only (it may include decisions still being
/// stored); every sale is decided by this grain itself.
/// </summary>
public sealed partial class InventoryGrain
{
    private long _projectedVersion;
    private bool _projecting;
    private long _lastProjection;

    private void ProjectAvailable()
    {
        if (_projecting || _ledger is null || _version <= _projectedVersion)
        {
            return;
        }

        _projecting = true;
        _ = ProjectLoopAsync();
    }

    private async Task ProjectLoopAsync()
    {
        var readModel = ServiceProvider.GetRequiredService<ICatalogReadModel>();
        try
        {
            while (_ledger is not null && _version > _projectedVersion)
            {
                var wait = _lastProjection == 0 ? TimeSpan.Zero : _options.ProjectionInterval - Stopwatch.GetElapsedTime(_lastProjection);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                    continue;
                }

                var version = _version;
                _lastProjection = Stopwatch.GetTimestamp();
                await readModel.SetAvailableAsync(Sku, version, _ledger.Available);
                _projectedVersion = version;
            }
        }
        catch (Exception ex)
        {
            // The next flush (or activation) projects again; a stale display level is not worth failing anything for.
            LogProjectionFailed(ex, Sku);
        }
        finally
        {
            _projecting = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inventory {Sku}: could not update the storefront's available stock")]
    private partial void LogProjectionFailed(Exception ex, string sku);
}
