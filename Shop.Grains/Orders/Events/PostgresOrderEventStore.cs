using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>The append-only <c>order_events</c> table: each event id stored once, read back by position.</summary>
public sealed class PostgresOrderEventStore(string connectionString) : IOrderEventLog, IOrderEventReader
{
    // Inserts take this transaction lock before drawing a seq, so seqs become visible in ascending order: a reader
    // that pages with "seq > after" can never skip an event that commits late with a smaller seq.
    // The orders store takes it too, when it appends a change's events in the change's own transaction.
    internal const long AppendLockKey = 0x0_5_4_0_9_0_0_3_0;

    public string Name => "postgresql";

    private readonly Lock _gate = new();
    private List<PendingAppend> _queue = [];
    private bool _flushing;

    /// <summary>
    /// Group commit: while one append is in flight, the events of every order that publishes meanwhile queue up and go
    /// in the next single statement, so under load the log costs a fraction of a statement per order.
    /// </summary>
    public async Task<IReadOnlyList<string?>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = !_flushing;
            _flushing = true;
        }

        if (lead)
        {
            _ = Task.Run(FlushLoopAsync, CancellationToken.None);
        }

        await pending.Done.Task.WaitAsync(cancellationToken);
        return new string?[events.Count];
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<PendingAppend> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                (batch, _queue) = (_queue, []);
            }

            try
            {
                await AppendAsync([.. batch.SelectMany(p => p.Events).DistinctBy(e => e.EventId)]);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    private async Task AppendAsync(IReadOnlyList<OrderEventEnvelope> events)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        // One batch runs as one implicit transaction: the lock is held until the insert commits.
        await using var batch = new NpgsqlBatch(connection);
        var lockCommand = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@key)");
        lockCommand.Parameters.AddWithValue("key", AppendLockKey);
        var insert = new NpgsqlBatchCommand(AppendSql());
        AddAppendParameters(insert.Parameters, events);
        batch.BatchCommands.Add(lockCommand);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Appends the events of <see cref="AddAppendParameters"/> in their order (each draws its seq here), each event id
    /// once; <paramref name="from"/> extends the FROM clause (the orders store joins its lock and its written rows).
    /// The caller must hold <see cref="AppendLockKey"/> before the first seq is drawn.
    /// </summary>
    internal static string AppendSql(string from = "") => $"""
        INSERT INTO order_events (event_id, order_no, type, occurred_at, payload)
        SELECT e.id, e.order_no, e.type, e.occurred_at, e.payload::jsonb
        FROM unnest(@event_ids, @event_orders, @event_types, @event_times, @event_payloads) WITH ORDINALITY
            AS e(id, order_no, type, occurred_at, payload, position)
        {from}
        ORDER BY e.position
        ON CONFLICT (event_id) DO NOTHING
        """;

    internal static void AddAppendParameters(NpgsqlParameterCollection parameters, IReadOnlyList<OrderEventEnvelope> events)
    {
        parameters.AddWithValue("event_ids", events.Select(e => e.EventId).ToArray());
        parameters.AddWithValue("event_orders", events.Select(e => e.OrderNo).ToArray());
        parameters.AddWithValue("event_types", events.Select(e => e.Type).ToArray());
        parameters.AddWithValue("event_times", events.Select(e => e.OccurredAt.ToUniversalTime()).ToArray());
        parameters.AddWithValue("event_payloads", events.Select(e => e.Payload).ToArray());
    }

    private sealed record PendingAppend(IReadOnlyList<OrderEventEnvelope> Events, TaskCompletionSource Done);

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
