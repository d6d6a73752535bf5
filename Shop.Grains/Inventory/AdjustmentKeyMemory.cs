namespace Shop.Grains.Inventory;

/// <summary>
/// The recent keyed adjustments of one SKU, by operator and key. Bounded by age and by count (oldest forgotten
/// first), so memory and snapshots stay small however long the SKU lives; the log keeps every key for good.
/// Ages are measured by event time, so replaying the log forgets exactly what the live ledger forgot.
/// </summary>
internal sealed class AdjustmentKeyMemory(TimeSpan retention, int capacity)
{
    private readonly Dictionary<(string Operator, string Key), StoredAdjustmentKey> _byKey = [];

    // Oldest first, so forgetting never scans.
    private readonly Queue<StoredAdjustmentKey> _order = new();

    public int Count => _byKey.Count;

    public bool TryGet(string @operator, string key, out StoredAdjustmentKey adjustment) =>
        _byKey.TryGetValue((@operator, key), out adjustment!);

    public void Remember(StoredAdjustmentKey adjustment)
    {
        // A key applied again can only be one that was forgotten in between, e.g. under smaller limits of an earlier
        // version: the newest application wins (throwing here would make the SKU unloadable, so unsellable).
        _byKey[(adjustment.Operator, adjustment.Key)] = adjustment;
        _order.Enqueue(adjustment);
        while (_order.Count > capacity)
        {
            Drop();
        }
    }

    public void Forget(DateTimeOffset now)
    {
        var cutoff = now - retention;
        while (_order.TryPeek(out var oldest) && oldest.At < cutoff)
        {
            Drop();
        }
    }

    public IReadOnlyList<StoredAdjustmentKey> ToList() => [.. _order];

    public void Restore(IEnumerable<StoredAdjustmentKey> stored)
    {
        foreach (var adjustment in stored)
        {
            Remember(adjustment);
        }
    }

    private void Drop()
    {
        var oldest = _order.Dequeue();
        if (_byKey.TryGetValue((oldest.Operator, oldest.Key), out var current) && ReferenceEquals(current, oldest))
        {
            _byKey.Remove((oldest.Operator, oldest.Key));
        }
    }
}
