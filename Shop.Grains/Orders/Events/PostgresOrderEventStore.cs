using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>The append-only <c>order_events</c> table: each event id stored once, read back by position.</summary>
public sealed class PostgresOrderEventStore(string connectionString) : IOrderEventSink, IOrderEventReader
{
    // Inserts take this transaction lock before drawing a seq, so seqs become visible in ascending order: a reader
    // that pages with "seq > after" can never skip an event that commits late with a smaller seq.
    private const long AppendLockKey = 0x0_5_4_0_9_0_0_3_0;

    public string Name => "postgresql";

    public async Task<IReadOnlyList<string?>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
        lockCommand.Parameters.AddWithValue("key", AppendLockKey);
        batch.BatchCommands.Add(lockCommand);
        foreach (var e in events)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO order_events (event_id, order_no, type, occurred_at, payload)
                VALUES (@id, @order_no, @type, @occurred_at, @payload)
                ON CONFLICT (event_id) DO NOTHING
                """);
            insert.Parameters.AddWithValue("id", e.EventId);
            insert.Parameters.AddWithValue("order_no", e.OrderNo);
            insert.Parameters.AddWithValue("type", e.Type);
            insert.Parameters.AddWithValue("occurred_at", e.OccurredAt);
            insert.Parameters.AddWithValue("payload", NpgsqlDbType.Jsonb, e.Payload);
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new string?[events.Count];
    }

    public async Task<OrderEventPage> ReadAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT seq, event_id, order_no, type, occurred_at, payload::text
            FROM order_events WHERE seq > @after ORDER BY seq LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("limit", limit);
        var events = new List<StoredOrderEvent>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredOrderEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        }

        return new OrderEventPage([.. events], events.Count == 0 ? after : events[^1].Seq);
    }
}
