using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// Loading and snapshots. Memory is loaded lazily (on activation and again after a failed write); a snapshot is
/// taken by the flush loop at the one moment memory equals a stored version, and written off the grain's turn.
/// </summary>
public sealed partial class InventoryGrain
{
    private InventoryLedger? _ledger;
    private Task? _loading;
    private long _version;
    private long _eventsSinceSnapshot;
    private bool _snapshotRunning;
    private int _loads;

    /// <summary>Memory loaded (and, for commands, reservations past their time released first).</summary>
    private async ValueTask<InventoryLedger> ReadyAsync(bool expire)
    {
        while (_ledger is null)
        {
            var loading = _loading ??= LoadAsync();
            try
            {
                await loading;
            }
            finally
            {
                if (ReferenceEquals(_loading, loading))
                {
                    _loading = null;
                }
            }
        }

        if (expire)
        {
            ExpireDue(_ledger);
        }

        return _ledger;
    }

    private async Task LoadAsync()
    {
        try
        {
            var load = await store.LoadAsync(Sku);
            _ledger = InventoryLedger.Restore(load, _options);
            _version = load.Version;
            _eventsSinceSnapshot = load.Tail.Sum(b => (long)b.Events.Count);
            _loads++;
            _armedFor = null;
            ArmTimer();
            ProjectAvailable();
        }
        catch (Exception ex)
        {
            LogLoadFailed(ex, Sku);
            throw new InventoryUnavailableException($"The stock of '{Sku}' could not be loaded; try again.");
        }
    }

    private async Task SaveSnapshotAsync(InventorySnapshot snapshot, long events)
    {
        _snapshotRunning = true;
        var loads = _loads;
        var sku = Sku;
        try
        {
            // Serializing a large state is CPU work: keep it off the grain's turn.
            await Task.Run(() => store.SaveSnapshotAsync(sku, snapshot));
            if (loads == _loads)
            {
                _eventsSinceSnapshot -= events;
            }
        }
        catch (Exception ex)
        {
            // Only costs a longer activation; the log holds everything.
            LogSnapshotFailed(ex, Sku, snapshot.Version);
        }
        finally
        {
            _snapshotRunning = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inventory {Sku}: loading failed")]
    private partial void LogLoadFailed(Exception ex, string sku);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inventory {Sku}: snapshot at version {Version} not written")]
    private partial void LogSnapshotFailed(Exception ex, string sku, long version);
}
