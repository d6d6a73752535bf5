using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Inventory;

/// <summary>
/// What the admin routes use: adjustments (idempotent by key) and reads. An adjustment's key is part of its
/// StockAdjusted event, so "was this key applied" is answered from the same log and snapshots as the stock itself:
/// it survives deactivation and restarts, and it is decided in the same turn as the adjustment, so two concurrent
/// requests with one key can't both apply (the second sees the first's not-yet-stored event and waits for its write).
/// </summary>
public sealed partial class InventoryGrain
{
    public async Task<AdjustResult> AdjustAsync(long delta, string reason, string @operator, string? idempotencyKey = null)
    {
        if (delta == 0 || Math.Abs(delta) > InventoryOptions.MaxQuantity)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, $"Must be non-zero and at most {InventoryOptions.MaxQuantity} either way.");
        }

        RequireText(reason, nameof(reason), InventoryOptions.MaxReasonLength);
        RequireText(@operator, nameof(@operator), InventoryOptions.MaxReasonLength);
        if (idempotencyKey is not null && !IdempotencyKeys.IsValidKey(idempotencyKey))
        {
            throw new ArgumentException("Must be 1 to 64 visible ASCII characters.", nameof(idempotencyKey));
        }

        var ledger = await ReadyAsync(expire: true);
        AdjustResult result;
        if (idempotencyKey is not null && ledger.TryGetAdjustment(@operator, idempotencyKey, out var earlier))
        {
            result = earlier.Delta == delta && string.Equals(earlier.Reason, reason, StringComparison.Ordinal)
                ? new(AdjustStatus.AlreadyAdjusted, earlier.ToLevels())
                : new(AdjustStatus.KeyReused, ledger.Levels);
        }
        else if (ledger.Available + delta < 0)
        {
            // Not remembered under the key: nothing was applied, so a retry is decided afresh (and may then apply once).
            result = new(AdjustStatus.InsufficientAvailable, ledger.Levels);
        }
        else
        {
            Record(new StockAdjusted(delta, reason, @operator, Now, idempotencyKey));
            result = new(AdjustStatus.Adjusted, ledger.Levels);
        }

        // A repeat, too, is answered only once the original is stored: until then it might still be undone.
        await CommittedAsync();
        return result;
    }

    public async Task<StockLevels> GetLevelsAsync()
    {
        var levels = (await ReadyAsync(expire: false)).Levels;
        await CommittedAsync();
        return levels;
    }

    public async Task<ReservationPage> GetReservationsAsync(string? after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, ReservationPage.MaxLimit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(after?.Length ?? 0, ReservationPage.MaxAfterLength, nameof(after));

        // A pure read like GetAsync: levels, page and count are taken in one turn, so they agree with each other.
        var ledger = await ReadyAsync(expire: false);
        var reservations = ledger.ReservationsAfter(after, limit, out var next);
        var page = new ReservationPage(ledger.Levels, reservations, next, ledger.ReservationCount);
        await CommittedAsync();
        return page;
    }

    public async Task<StockSnapshot> GetAsync()
    {
        // A pure read: expirations are the timer's job, so what this shows is what the grain has done.
        var ledger = await ReadyAsync(expire: false);
        var snapshot = new StockSnapshot(ledger.Levels, ledger.ListReservations());
        await CommittedAsync();
        return snapshot;
    }
}
