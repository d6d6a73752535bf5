using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>The embedded mode's Idempotency-Key records: the same semantics as the table, in this process only.</summary>
public sealed class InMemoryIdempotencyStore : IIdempotencyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IdempotencyRecord> _records = new(StringComparer.Ordinal);

    public Task<IdempotencyRecord?> InsertOrGetAsync(string key, IdempotencyRecord record, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_records.TryGetValue(key, out var live) && live.CreatedAt > expiredBefore)
            {
                return Task.FromResult<IdempotencyRecord?>(live);
            }

            _records[key] = record;
            return Task.FromResult<IdempotencyRecord?>(null);
        }
    }

    public Task<IdempotencyRecord?> CompleteAsync(string key, IdempotencyRecord record, StoredAnswer answer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_records.TryGetValue(key, out var stored) && stored.Answer is null
                && stored.RequestHash == record.RequestHash && stored.CreatedAt == record.CreatedAt)
            {
                stored = _records[key] = stored with { Answer = answer };
            }

            return Task.FromResult(stored);
        }
    }

    public Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var old = _records.Where(r => r.Value.CreatedAt < before).Take(limit).Select(r => r.Key).ToList();
            old.ForEach(k => _records.Remove(k));
            return Task.FromResult(old.Count);
        }
    }
}
