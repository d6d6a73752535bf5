using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Storage;

namespace Shop.Grains.Orders;

/// <summary>
/// The <c>orders</c> table (deploy/sql/0031_orders_table.sql). The new orders, and the changed ones, of every order grain
/// of this silo writing at the same moment go in one INSERT, and one UPDATE (<see cref="GroupCommit{TItem,TResult}"/>),
/// each appending the events of the rows it wrote to the order event log in the same statement: a sale creates orders
/// in bursts and pays them in bursts.
/// </summary>
public sealed class PostgresOrderStore : IOrderStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit<OrderRow, bool> _inserts;
    private readonly GroupCommit<(OrderRow Row, long Expected), bool> _updates;

    public PostgresOrderStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _inserts = new(InsertBatchAsync);
        _updates = new(UpdateBatchAsync);
    }

    public async Task<StoredOrder?> ReadAsync(string orderNo, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT state::text, version FROM orders WHERE order_no = @no");
        command.Parameters.AddWithValue("no", orderNo);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredOrder(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public Task<bool> InsertAsync(OrderRow row, CancellationToken cancellationToken) => _inserts.WriteAsync(row);

    /// <summary>True for each row inserted, false where that order number already had a row.</summary>
    private async Task<IReadOnlyList<bool>> InsertBatchAsync(IReadOnlyList<OrderRow> batch, CancellationToken cancellationToken)
    {
        // A number twice in one batch (a retried create racing itself): only the first is sent, so the row and the events
        // that go in are that one's; the others find the number taken.
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var rows = batch.Where(r => distinct.Add(r.OrderNo)).ToList();
        await using var command = _dataSource.CreateCommand(AppendingEvents(rows, """
            INSERT INTO orders (order_no, user_id, status, total_fen, created_at, updated_at, due_at, version, state)
            SELECT r.order_no, r.user_id, r.status, r.total_fen, r.created_at, r.updated_at, r.due_at, 1, r.state::jsonb
            FROM unnest(@nos, @users, @statuses, @totals, @created, @updated, @due, @states)
                AS r(order_no, user_id, status, total_fen, created_at, updated_at, due_at, state)
            ON CONFLICT (order_no) DO NOTHING
            RETURNING order_no
            """));
        AddEvents(command, rows);
        command.Parameters.AddWithValue("nos", rows.Select(r => r.OrderNo).ToArray());
        command.Parameters.AddWithValue("users", rows.Select(r => r.UserId).ToArray());
        command.Parameters.AddWithValue("statuses", rows.Select(r => r.Status).ToArray());
        command.Parameters.AddWithValue("totals", rows.Select(r => r.TotalFen).ToArray());
        command.Parameters.AddWithValue("created", rows.Select(r => r.CreatedAt).ToArray());
        command.Parameters.AddWithValue("updated", rows.Select(r => r.UpdatedAt).ToArray());
        command.Parameters.Add(new NpgsqlParameter("due", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            Value = rows.Select(r => r.DueAt is { } due ? (object)due : DBNull.Value).ToArray(),
        });
        command.Parameters.AddWithValue("states", rows.Select(r => r.StateJson).ToArray());
        var inserted = await ReturnedOrderNumbersAsync(command, cancellationToken);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        return [.. batch.Select(r => inserted.Contains(r.OrderNo) && claimed.Add(r.OrderNo))];
    }

    public Task<bool> UpdateAsync(OrderRow row, long expectedVersion, CancellationToken cancellationToken) =>
        _updates.WriteAsync((row, expectedVersion));

    /// <summary>True for each row updated, false where the row was not at the expected version (another writer came first).</summary>
    private Task<IReadOnlyList<bool>> UpdateBatchAsync(IReadOnlyList<(OrderRow Row, long Expected)> batch, CancellationToken cancellationToken) =>
        BatchedByKey.RunAsync<(OrderRow Row, long Expected), bool>(batch, u => u.Row.OrderNo, async updates =>
        {
            var rows = updates.Select(u => u.Row).ToList();
            await using var command = _dataSource.CreateCommand(AppendingEvents(rows, """
                UPDATE orders AS o SET status = u.status, total_fen = u.total_fen, updated_at = u.updated_at, due_at = u.due_at,
                    version = o.version + 1, state = u.state::jsonb
                FROM unnest(@nos, @expected, @statuses, @totals, @updated, @due, @states)
                    AS u(order_no, expected, status, total_fen, updated_at, due_at, state)
                WHERE o.order_no = u.order_no AND o.version = u.expected
                RETURNING o.order_no
                """));
            AddEvents(command, rows);
            command.Parameters.AddWithValue("nos", updates.Select(u => u.Row.OrderNo).ToArray());
            command.Parameters.AddWithValue("expected", updates.Select(u => u.Expected).ToArray());
            command.Parameters.AddWithValue("statuses", updates.Select(u => u.Row.Status).ToArray());
            command.Parameters.AddWithValue("totals", updates.Select(u => u.Row.TotalFen).ToArray());
            command.Parameters.AddWithValue("updated", updates.Select(u => u.Row.UpdatedAt).ToArray());
            command.Parameters.Add(new NpgsqlParameter("due", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = updates.Select(u => u.Row.DueAt is { } due ? (object)due : DBNull.Value).ToArray(),
            });
            command.Parameters.AddWithValue("states", updates.Select(u => u.Row.StateJson).ToArray());
            var updated = await ReturnedOrderNumbersAsync(command, cancellationToken);
            return updates.Select(u => updated.Contains(u.Row.OrderNo)).ToList();
        });

    public async Task<bool> DeleteAsync(string orderNo, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM orders WHERE order_no = @no AND version = @expected");
        command.Parameters.AddWithValue("no", orderNo);
        command.Parameters.AddWithValue("expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<DueOrder>> ListDueAsync(DateTimeOffset dueBy, DueOrder? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT due_at, order_no FROM orders
            WHERE due_at <= @due_by AND (@after_due::timestamptz IS NULL OR (due_at, order_no) > (@after_due, @after_no))
            ORDER BY due_at, order_no LIMIT @limit
            """);
        command.Parameters.AddWithValue("due_by", dueBy);
        command.Parameters.Add(new NpgsqlParameter("after_due", NpgsqlDbType.TimestampTz) { Value = (object?)after?.DueAt ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_no", NpgsqlDbType.Text) { Value = (object?)after?.OrderNo ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        var due = new List<DueOrder>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueOrder(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)));
        }

        return due;
    }

    public async Task<OrderListPage> ListAsync(OrderListQuery query, CancellationToken cancellationToken)
    {
        const string filter = """
            WHERE (@user::text IS NULL OR user_id = @user) AND (@status::text IS NULL OR status = @status)
              AND status <> ALL(@hidden)
            """;
        await using var batch = _dataSource.CreateBatch();
        var page = new NpgsqlBatchCommand($"""
            SELECT order_no, user_id, status, total_fen, created_at, updated_at FROM orders {filter}
            ORDER BY created_at DESC, order_no DESC LIMIT @size OFFSET @offset
            """);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM orders {filter}");
        foreach (var command in new[] { page, count })
        {
            command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Text) { Value = (object?)query.UserId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)query.Status?.ToString() ?? DBNull.Value });
            command.Parameters.AddWithValue("hidden", OrderStateJson.HiddenStatuses);
            batch.BatchCommands.Add(command);
        }

        page.Parameters.AddWithValue("size", query.Size);
        page.Parameters.AddWithValue("offset", (long)(query.Page - 1) * query.Size);
        var items = new List<OrderSummary>(query.Size);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new OrderSummary(reader.GetString(0), reader.GetString(1), Enum.Parse<OrderStatus>(reader.GetString(2)),
                reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5)));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OrderListPage(items, reader.GetInt64(0));
    }

    /// <summary>
    /// <paramref name="write"/> (which returns the order numbers it wrote) as it is, or, when the rows carry events, in
    /// one statement that also appends the events of the rows it wrote, and only theirs, to <c>order_events</c>: the
    /// log holds an event exactly when its change is stored, with no outbox write or second transaction per change.
    /// The append lock (the event log's, see <see cref="PostgresOrderEventStore"/>) is taken after every row is
    /// written (the count reads them all) and before any seq is drawn, and held until commit, so seqs still become
    /// visible in ascending order; a write that stored no row takes no lock.
    /// </summary>
    private static string AppendingEvents(IReadOnlyList<OrderRow> rows, string write) =>
        !rows.Any(r => r.Events.Count > 0) ? write : $"""
            WITH written AS (
            {write}
            ), append_lock AS MATERIALIZED (
                SELECT pg_advisory_xact_lock(@append_lock) FROM written HAVING count(*) > 0
            ), appended AS (
            {PostgresOrderEventStore.AppendSql("CROSS JOIN append_lock WHERE e.order_no IN (SELECT order_no FROM written)")}
            )
            SELECT order_no FROM written
            """;

    private static void AddEvents(NpgsqlCommand command, IReadOnlyList<OrderRow> rows)
    {
        var events = rows.SelectMany(r => r.Events).ToList();
        if (events.Count == 0)
        {
            return;
        }

        command.Parameters.AddWithValue("append_lock", PostgresOrderEventStore.AppendLockKey);
        PostgresOrderEventStore.AddAppendParameters(command.Parameters, events);
    }

    private static async Task<HashSet<string>> ReturnedOrderNumbersAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            numbers.Add(reader.GetString(0));
        }

        return numbers;
    }
}
