using System.Collections.Concurrent;

namespace Shop.Grains.Inventory;

/// <summary>
/// The embedded (no database) store: same contract as PostgreSQL, version fencing included, nothing survives a
/// restart. Events and snapshots are immutable records, so keeping references is safe.
/// </summary>
public sealed class InMemoryInventoryStore : IInventoryStore
{
    private readonly ConcurrentDictionary<string, Sku> _skus = new(StringComparer.Ordinal);

    public Task<InventoryLoad> LoadAsync(string sku, CancellationToken cancellationToken = default)
    {
        var entry = _skus.GetOrAdd(sku, _ => new Sku());
        lock (entry)
        {
            var after = entry.Snapshot?.Version ?? 0;
            return Task.FromResult(new InventoryLoad(entry.Snapshot, [.. entry.Log.Where(b => b.Version > after)]));
        }
    }

    public Task AppendAsync(string sku, long version, IReadOnlyList<InventoryEvent> events, CancellationToken cancellationToken = default)
    {
        var entry = _skus.GetOrAdd(sku, _ => new Sku());
        lock (entry)
        {
            var last = entry.Log.Count > 0 ? entry.Log[^1].Version : 0;
            if (version <= last)
            {
                throw new InventoryVersionConflictException(sku, version);
            }

            if (version != last + 1)
            {
                throw new InvalidOperationException($"Inventory of '{sku}' is at version {last}; version {version} would leave a gap.");
            }

            entry.Log.Add(new InventoryBatch(version, [.. events]));
            entry.Adjustments.AddRange(events.OfType<StockAdjusted>());
        }

        return Task.CompletedTask;
    }

    public Task SaveSnapshotAsync(string sku, InventorySnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var entry = _skus.GetOrAdd(sku, _ => new Sku());
        lock (entry)
        {
            if (entry.Snapshot is null || entry.Snapshot.Version < snapshot.Version)
            {
                entry.Snapshot = snapshot;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The audit trail of one SKU, oldest first.</summary>
    public IReadOnlyList<StockAdjusted> Adjustments(string sku)
    {
        var entry = _skus.GetOrAdd(sku, _ => new Sku());
        lock (entry)
        {
            return [.. entry.Adjustments];
        }
    }

    /// <summary>Every SKU's whole log and the sum of its audited adjustments, for the stock audit.</summary>
    public IReadOnlyList<(string Sku, IReadOnlyList<InventoryBatch> Log, long Received)> AuditView() =>
        [.. _skus.Select(pair =>
        {
            lock (pair.Value)
            {
                return (pair.Key, (IReadOnlyList<InventoryBatch>)[.. pair.Value.Log], pair.Value.Adjustments.Sum(a => a.Delta));
            }
        })];

    private sealed class Sku
    {
        public List<InventoryBatch> Log { get; } = [];

        public List<StockAdjusted> Adjustments { get; } = [];

        public InventorySnapshot? Snapshot { get; set; }
    }
}
