using System.Collections.Concurrent;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Orders;

namespace Shop.Grains.PersonalData.Erasure;

/// <summary>
/// Embedded mode (nothing persisted): requests in memory; orders are found in the in-memory order store. There is no
/// log or list column to scrub beyond what the grains erase themselves, and nothing outlives the process anyway.
/// </summary>
public sealed class InMemoryErasureStore(IOrderStore orders) : IErasureStore
{
    private readonly ConcurrentDictionary<string, (ErasureRecord Record, long Version)> _records = new(StringComparer.Ordinal);

    public Task<(ErasureRecord? Record, long Version)> LoadAsync(string lookupKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryGetValue(lookupKey, out var stored) ? ((ErasureRecord?)stored.Record, stored.Version) : (null, 0L));

    public Task SaveAsync(ErasureRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var saved = expectedVersion == 0
            ? _records.TryAdd(record.LookupKey, (record, 1))
            : _records.TryGetValue(record.LookupKey, out var current) && current.Version == expectedVersion
                && _records.TryUpdate(record.LookupKey, (record, expectedVersion + 1), current);
        return saved ? Task.CompletedTask : throw new InvalidOperationException($"Erasure request {record.RequestId} changed since version {expectedVersion}.");
    }

    public Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _records.Values.Select(v => v.Record)
            .Where(r => r.Status == ErasureStatus.Pending && r.DueAt <= now).OrderBy(r => r.DueAt).Take(limit).Select(r => r.LookupKey)]);

    public async Task<IReadOnlyList<string>> ListOrdersAsync(string userId, string? after, int limit, CancellationToken cancellationToken = default)
    {
        var page = await orders.ListAsync(new Interfaces.Orders.OrderListQuery(userId, null, 1, 1000), cancellationToken);
        return [.. page.Items.Select(o => o.OrderNo).Where(no => after is null || string.CompareOrdinal(no, after) > 0).Order(StringComparer.Ordinal).Take(limit)];
    }

    public Task ScrubOrderAsync(string orderNo, IReadOnlyList<string> skus, string userId, string? openId, string pseudonym, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public Task ScrubCustomerAsync(string userId, string pseudonym, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<ExpiredOrder>> ListExpiredOrdersAsync(DateTimeOffset cutoff, ExpiredOrder? after, int limit,
        CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ExpiredOrder>>([]);

    public Task<(long Pending, long Completed)> CountAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(((long)_records.Values.Count(v => v.Record.Status == ErasureStatus.Pending),
            (long)_records.Values.Count(v => v.Record.Status == ErasureStatus.Completed)));
}
