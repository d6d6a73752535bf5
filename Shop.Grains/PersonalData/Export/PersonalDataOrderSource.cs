using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Orders;

namespace Shop.Grains.PersonalData.Export;

/// <summary>A customer's stored orders, a page at a time, oldest first (keyset on created_at, order_no).</summary>
public interface IPersonalDataOrderSource
{
    Task<IReadOnlyList<(OrderState Order, ExportCursor Cursor)>> ReadPageAsync(string userId, ExportCursor? after, int size, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the <c>orders</c> table directly (the order's durable record is its row, written before any answer), through
/// the <c>orders_user_created</c> index; plain pooled connections, like the other stores of the silo.
/// </summary>
public sealed class PostgresPersonalDataOrderSource(string connectionString) : IPersonalDataOrderSource
{
    /// <summary>
    /// Only an order still being created is left out (it becomes an order or a rejection within seconds). A rejected
    /// order is: the customer typed its address and remark, and its row keeps them until erasure or retention.
    /// </summary>
    internal static readonly string[] NotExported = ["Reserving"];

    public async Task<IReadOnlyList<(OrderState Order, ExportCursor Cursor)>> ReadPageAsync(
        string userId, ExportCursor? after, int size, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT created_at, order_no, state::text FROM orders
            WHERE user_id = $1 AND status <> ALL($2)
              AND ($3::timestamptz IS NULL OR (created_at, order_no) > ($3, $4))
            ORDER BY created_at, order_no LIMIT $5
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = NotExported });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)after?.CreatedAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)after?.OrderNo ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = size });
        var page = new List<(OrderState, ExportCursor)>(size);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var order = JsonSerializer.Deserialize<OrderState>(reader.GetString(2), OrderStateJson.Options)!;
            page.Add((order, new ExportCursor(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1))));
        }

        return page;
    }
}

/// <summary>The embedded mode's orders, from the in-memory orders table.</summary>
public sealed class InMemoryPersonalDataOrderSource(InMemoryOrderStore store) : IPersonalDataOrderSource
{
    public Task<IReadOnlyList<(OrderState Order, ExportCursor Cursor)>> ReadPageAsync(
        string userId, ExportCursor? after, int size, CancellationToken cancellationToken)
    {
        IReadOnlyList<(OrderState, ExportCursor)> page = [.. store.Rows()
            .Where(r => r.UserId == userId && !PostgresPersonalDataOrderSource.NotExported.Contains(r.Status))
            .Select(r => (Row: r, Cursor: new ExportCursor(r.CreatedAt, r.OrderNo)))
            .Where(r => after is null || Compare(r.Cursor, after) > 0)
            .OrderBy(r => r.Cursor.CreatedAt).ThenBy(r => r.Cursor.OrderNo, StringComparer.Ordinal)
            .Take(size)
            .Select(r => (JsonSerializer.Deserialize<OrderState>(r.Row.StateJson, OrderStateJson.Options)!, r.Cursor))];
        return Task.FromResult(page);
    }

    private static int Compare(ExportCursor a, ExportCursor b) =>
        a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.OrderNo, b.OrderNo);
}
