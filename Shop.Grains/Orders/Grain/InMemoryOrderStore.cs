using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// The embedded mode's orders table: the same version fence and list semantics, in this process only; a write that
/// succeeds appends its row's events to <paramref name="log"/> under the same lock.
/// </summary>
public sealed class InMemoryOrderStore(MemoryOrderEventStore? log = null) : IOrderStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (OrderRow Row, long Version)> _rows = new(StringComparer.Ordinal);

    public Task<StoredOrder?> ReadAsync(string orderNo, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(orderNo, out var entry) ? new StoredOrder(entry.Row.StateJson, entry.Version) : null);
        }
    }

    /// <summary>Every row, for the stock audit.</summary>
    public IReadOnlyList<OrderRow> Rows()
    {
        lock (_gate)
        {
            return [.. _rows.Values.Select(e => e.Row)];
        }
    }

    public Task<bool> InsertAsync(OrderRow row, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rows.TryAdd(row.OrderNo, (row with { Events = [] }, 1)))
            {
                return Task.FromResult(false);
            }

            log?.Append(row.Events);
            return Task.FromResult(true);
        }
    }

    public Task<bool> UpdateAsync(OrderRow row, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(row.OrderNo, out var entry) || entry.Version != expectedVersion)
            {
                return Task.FromResult(false);
            }

            _rows[row.OrderNo] = (row with { CreatedAt = entry.Row.CreatedAt, UserId = entry.Row.UserId, Events = [] }, expectedVersion + 1);
            log?.Append(row.Events);
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(string orderNo, long expectedVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(orderNo, out var entry) && entry.Version == expectedVersion && _rows.Remove(orderNo));
        }
    }

    public Task<IReadOnlyList<DueOrder>> ListDueAsync(DateTimeOffset dueBy, DueOrder? after, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<DueOrder> due = [.. _rows.Values.Select(e => e.Row)
                .Where(r => r.DueAt is { } at && at <= dueBy)
                .Select(r => new DueOrder(r.DueAt!.Value, r.OrderNo))
                .Where(d => after is null || d.DueAt > after.DueAt || (d.DueAt == after.DueAt && string.CompareOrdinal(d.OrderNo, after.OrderNo) > 0))
                .OrderBy(d => d.DueAt).ThenBy(d => d.OrderNo, StringComparer.Ordinal).Take(limit)];
            return Task.FromResult(due);
        }
    }

    public Task<OrderListPage> ListAsync(OrderListQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var matches = _rows.Values.Select(e => e.Row)
                .Where(r => !OrderStateJson.HiddenStatuses.Contains(r.Status))
                .Where(r => query.UserId is null || r.UserId == query.UserId)
                .Where(r => query.Status is null || r.Status == query.Status.ToString())
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.OrderNo, StringComparer.Ordinal)
                .ToList();
            var page = matches.Skip((query.Page - 1) * query.Size).Take(query.Size)
                .Select(r => new OrderSummary(r.OrderNo, r.UserId, Enum.Parse<OrderStatus>(r.Status), r.TotalFen, r.CreatedAt, r.UpdatedAt))
                .ToList();
            return Task.FromResult(new OrderListPage(page, matches.Count));
        }
    }
}
