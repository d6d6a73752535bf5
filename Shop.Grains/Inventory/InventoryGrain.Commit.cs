using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Grains.Observability;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// Group commit. Accepted events go to the pending batch; one flush at a time stores a whole batch as ONE row at
/// the next version, then answers every caller that waited for it. What is written per flush is only that batch,
/// so write cost does not grow with the number of live reservations; the full state goes into a snapshot no more
/// often than once per "state size" events (so its cost per event is constant too) and only to shorten activation.
/// A failed write fails its callers and every caller queued behind it (their decisions saw the failed events) and
/// drops memory, which is loaded again from storage before the next decision.
/// </summary>
public sealed partial class InventoryGrain
{
    private PendingBatch _pending = new();
    private PendingBatch? _flushing;
    private bool _flushRunning;

    private void Record(InventoryEvent change)
    {
        _ledger!.Apply(change);
        _pending.Events.Add(change);
        if (change is StockReserved reserved)
        {
            _pending.HasReservation = true;
            if (_armedFor is null || reserved.ExpiresAt < _armedFor)
            {
                ArmTimer();
            }
        }

        if (!_flushRunning)
        {
            _flushRunning = true;
            _ = FlushLoopAsync();
        }
    }

    /// <summary>Completes once everything the caller's decision saw is stored (or fails if that write failed).</summary>
    private Task CommittedAsync()
    {
        var batch = _pending.Events.Count > 0 ? _pending : _flushing;
        return batch?.Done.Task ?? Task.CompletedTask;
    }

    private async Task FlushLoopAsync()
    {
        try
        {
            // Lets requests that have already arrived join the first batch.
            await Task.Yield();
            while (_pending.Events.Count > 0 && _ledger is { } ledger)
            {
                var batch = _pending;
                _pending = new PendingBatch();
                _flushing = batch;
                var version = _version + 1;

                // Memory now equals storage plus exactly this batch: the only moment a snapshot of "version" can be taken.
                var snapshotEvents = _eventsSinceSnapshot + batch.Events.Count;
                var snapshot = !_snapshotRunning && snapshotEvents >= Math.Max(_options.SnapshotMinEvents, ledger.Size)
                    ? ledger.ToSnapshot(version)
                    : null;
                var reminder = batch.HasReservation ? SyncReminderAsync() : Task.CompletedTask;
                try
                {
                    await store.AppendAsync(Sku, version, batch.Events);
                }
                catch (Exception ex)
                {
                    Fail(batch, ex);
                    return;
                }

                _version = version;
                ServiceProvider.GetRequiredService<ShopGrainMetrics>().InventoryStored(batch.Events);
                _eventsSinceSnapshot = snapshotEvents;
                if (snapshot is not null)
                {
                    _ = SaveSnapshotAsync(snapshot, snapshotEvents);
                }

                // The reminder must exist before a reservation is confirmed, so an idle grain wakes up to expire it.
                await reminder;
                _flushing = null;
                batch.Done.SetResult();
                ProjectAvailable();
            }
        }
        catch (Exception ex) when (_flushing is { } batch)
        {
            // Nothing above should throw; if it does, no caller may be left waiting for an answer that never comes.
            Fail(batch, ex);
        }
        finally
        {
            _flushRunning = false;
        }
    }

    private void Fail(PendingBatch batch, Exception cause)
    {
        var later = _pending;
        _pending = new PendingBatch();
        _flushing = null;
        _ledger = null;
        var conflict = cause is InventoryVersionConflictException;
        if (!conflict)
        {
            ShopGrainMetrics.StorageWriteFailed();
        }

        LogWriteFailed(cause, Sku, batch.Events.Count, later.Events.Count, conflict);
        var error = new InventoryUnavailableException(conflict
            ? $"The stock of '{Sku}' was changed elsewhere; nothing was decided, try again."
            : $"The stock of '{Sku}' could not be stored; nothing was decided, try again.");
        batch.Done.SetException(error);
        later.Done.SetException(error);
        if (conflict)
        {
            // Another activation owns this SKU now; let it serve the next calls.
            this.DeactivateOnIdle();
        }
    }

    private sealed class PendingBatch
    {
        public List<InventoryEvent> Events { get; } = [];

        public bool HasReservation { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inventory {Sku}: write failed; failing {Events} stored-pending and {Later} queued events, reloading (version conflict: {Conflict})")]
    private partial void LogWriteFailed(Exception ex, string sku, int events, int later, bool conflict);
}
