using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>One row of the orders table: the list columns and the whole state as JSON.</summary>
public sealed record OrderRow(string OrderNo, string UserId, string Status, long TotalFen, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? DueAt, string StateJson)
{
    /// <summary>Appended to the order event log if, and only if, this write of the row succeeds (one transaction).</summary>
    public IReadOnlyList<OrderEventEnvelope> Events { get; init; } = [];
}

public sealed record StoredOrder(string StateJson, long Version);

public sealed record DueOrder(DateTimeOffset DueAt, string OrderNo);

/// <summary>
/// The orders table: each order's durable record is also its read-model row. Writes are fenced by a version: an insert
/// of an existing order, or an update from a stale version, changes nothing (and appends none of its events) and
/// returns false.
/// </summary>
public interface IOrderStore
{
    Task<StoredOrder?> ReadAsync(string orderNo, CancellationToken cancellationToken);

    Task<bool> InsertAsync(OrderRow row, CancellationToken cancellationToken);

    Task<bool> UpdateAsync(OrderRow row, long expectedVersion, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string orderNo, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Orders whose <see cref="OrderState.DueAt"/> is at or before <paramref name="dueBy"/>, earliest first, after
    /// <paramref name="after"/> in that order (keyset paging, so orders that stay due do not hide the ones behind them).
    /// </summary>
    Task<IReadOnlyList<DueOrder>> ListDueAsync(DateTimeOffset dueBy, DueOrder? after, int limit, CancellationToken cancellationToken);

    /// <summary>Real orders (not those still reserving or rejected), newest first.</summary>
    Task<OrderListPage> ListAsync(OrderListQuery query, CancellationToken cancellationToken);
}

public static class OrderStateJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static readonly string[] HiddenStatuses = ["Reserving", "Rejected"];

    public static OrderRow ToRow(OrderState state) => new(state.OrderNo, state.UserId, state.StatusColumn, state.TotalFen,
        state.CreatedAt, state.UpdatedAt, state.DueAt, JsonSerializer.Serialize(state, Options))
    {
        Events = state.Unlogged,
    };
}
