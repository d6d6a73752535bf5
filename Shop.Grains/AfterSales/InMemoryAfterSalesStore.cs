using System.Collections.Concurrent;
using Shop.Grains.Interfaces.AfterSales;

namespace Shop.Grains.AfterSales;

/// <summary>The embedded mode's store (nothing persisted), with the same version fence as PostgreSQL.</summary>
public sealed class InMemoryAfterSalesStore : IAfterSalesStore
{
    private readonly ConcurrentDictionary<string, (AfterSalesRequest Request, long Version)> _rows = new(StringComparer.Ordinal);

    public Task<(AfterSalesRequest? Request, long Version)> LoadAsync(string requestId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.TryGetValue(requestId, out var row) ? ((AfterSalesRequest?)row.Request, row.Version) : (null, 0L));

    public Task SaveAsync(AfterSalesRequest request, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var stored = expectedVersion == 0
            ? _rows.TryAdd(request.RequestId, (request, 1))
            : _rows.TryGetValue(request.RequestId, out var row) && row.Version == expectedVersion
              && _rows.TryUpdate(request.RequestId, (request, expectedVersion + 1), row);
        return stored ? Task.CompletedTask : throw new AfterSalesVersionConflictException(request.RequestId, expectedVersion);
    }

    public Task<AfterSalesListPage> ListAsync(AfterSalesListQuery query, CancellationToken cancellationToken = default)
    {
        var all = _rows.Values.Select(r => r.Request).ToList();
        var matching = all
            .Where(r => (query.Status is null || r.Status == query.Status) && (query.OrderNo is null || r.OrderNo == query.OrderNo)
                && (query.UserId is null || r.UserId == query.UserId))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.RequestId, StringComparer.Ordinal).ToList();
        var counts = all.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => (long)g.Count());
        return Task.FromResult(new AfterSalesListPage([.. matching.Skip((query.Page - 1) * query.Size).Take(query.Size)], matching.Count, counts));
    }

    public Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _rows.Values.Select(r => r.Request).Where(r => r.DueAt <= now)
            .OrderBy(r => r.DueAt).Take(limit).Select(r => r.RequestId)]);
}
