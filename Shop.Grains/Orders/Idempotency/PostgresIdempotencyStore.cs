using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Storage;

namespace Shop.Grains.Orders;

/// <summary>
/// The <c>order_idempotency</c> table (deploy/sql/0032_orders_due_and_idempotency.sql). The new keys and the answers of
/// every order being created on this silo at the same moment are each stored by one statement (<see cref="GroupCommit{TItem,TResult}"/>);
/// only keys that are already there cost a read, also one per batch.
/// </summary>
public sealed class PostgresIdempotencyStore : IIdempotencyStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit<Insert, IdempotencyRecord?> _inserts;
    private readonly GroupCommit<Completion, IdempotencyRecord?> _completions;

    public PostgresIdempotencyStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _inserts = new(InsertBatchAsync);
        _completions = new(CompleteBatchAsync);
    }

    public Task<IdempotencyRecord?> InsertOrGetAsync(string key, IdempotencyRecord record, DateTimeOffset expiredBefore, CancellationToken cancellationToken) =>
        _inserts.WriteAsync(new Insert(key, record, expiredBefore));

    public Task<IdempotencyRecord?> CompleteAsync(string key, IdempotencyRecord record, StoredAnswer answer, CancellationToken cancellationToken) =>
        _completions.WriteAsync(new Completion(key, record, answer));

    public async Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            DELETE FROM order_idempotency WHERE grain_key IN
                (SELECT grain_key FROM order_idempotency WHERE created_at < @before ORDER BY created_at LIMIT @limit)
            """);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Null for each record stored (a void one replaced), else the live record found under its key.</summary>
    private async Task<IReadOnlyList<IdempotencyRecord?>> InsertBatchAsync(IReadOnlyList<Insert> batch, CancellationToken cancellationToken)
    {
        return await BatchedByKey.RunAsync<Insert, IdempotencyRecord?>(batch, i => i.Key, async items =>
        {
            await using var command = _dataSource.CreateCommand("""
                WITH input AS (
                    SELECT * FROM unnest(@keys, @hashes, @nos, @created, @expired_before)
                        AS u(grain_key, request_hash, order_no, created_at, expired_before))
                INSERT INTO order_idempotency (grain_key, request_hash, order_no, created_at)
                SELECT grain_key, request_hash, order_no, created_at FROM input
                ON CONFLICT (grain_key) DO UPDATE
                    SET request_hash = EXCLUDED.request_hash, order_no = EXCLUDED.order_no, created_at = EXCLUDED.created_at,
                        status_code = NULL, body = NULL, outcome = NULL
                    WHERE order_idempotency.created_at <= (SELECT i.expired_before FROM input i WHERE i.grain_key = EXCLUDED.grain_key)
                RETURNING grain_key
                """);
            command.Parameters.AddWithValue("keys", items.Select(i => i.Key).ToArray());
            command.Parameters.AddWithValue("hashes", items.Select(i => i.Record.RequestHash).ToArray());
            command.Parameters.AddWithValue("nos", items.Select(i => i.Record.OrderNo).ToArray());
            command.Parameters.AddWithValue("created", items.Select(i => i.Record.CreatedAt).ToArray());
            command.Parameters.AddWithValue("expired_before", items.Select(i => i.ExpiredBefore).ToArray());
            var stored = await ReturnedKeysAsync(command, cancellationToken);
            var live = await ReadAsync([.. items.Select(i => i.Key).Where(k => !stored.Contains(k))], cancellationToken);
            return items.Select(i => stored.Contains(i.Key) ? null : live.GetValueOrDefault(i.Key)).ToList<IdempotencyRecord?>();
        });
    }

    /// <summary>The record as stored after each completion: with this answer, or the one stored first.</summary>
    private async Task<IReadOnlyList<IdempotencyRecord?>> CompleteBatchAsync(IReadOnlyList<Completion> batch, CancellationToken cancellationToken)
    {
        return await BatchedByKey.RunAsync<Completion, IdempotencyRecord?>(batch, c => c.Key, async items =>
        {
            await using var command = _dataSource.CreateCommand("""
                UPDATE order_idempotency AS t SET outcome = u.outcome
                FROM unnest(@keys, @hashes, @created, @outcomes) AS u(grain_key, request_hash, created_at, outcome)
                WHERE t.grain_key = u.grain_key AND t.request_hash = u.request_hash AND t.created_at = u.created_at
                  AND t.status_code IS NULL AND t.outcome IS NULL
                RETURNING t.grain_key
                """);
            command.Parameters.AddWithValue("keys", items.Select(c => c.Key).ToArray());
            command.Parameters.AddWithValue("hashes", items.Select(c => c.Record.RequestHash).ToArray());
            command.Parameters.AddWithValue("created", items.Select(c => c.Record.CreatedAt).ToArray());
            command.Parameters.AddWithValue("outcomes", items.Select(c => c.Answer.SealedOutcome ?? throw new ArgumentException("Only outcomes are stored as answers now.")).ToArray());
            var stored = await ReturnedKeysAsync(command, cancellationToken);
            var live = await ReadAsync([.. items.Select(c => c.Key).Where(k => !stored.Contains(k))], cancellationToken);
            return items.Select(c => stored.Contains(c.Key) ? c.Record with { Answer = c.Answer } : live.GetValueOrDefault(c.Key)).ToList<IdempotencyRecord?>();
        });
    }

    private static async Task<HashSet<string>> ReturnedKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private async Task<Dictionary<string, IdempotencyRecord>> ReadAsync(string[] keys, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, IdempotencyRecord>(StringComparer.Ordinal);
        if (keys.Length == 0)
        {
            return records;
        }

        await using var command = _dataSource.CreateCommand(
            "SELECT grain_key, request_hash, order_no, created_at, status_code, body, outcome FROM order_idempotency WHERE grain_key = ANY(@keys)");
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var answer = !reader.IsDBNull(6) ? new StoredAnswer(reader.GetString(6))
                : !reader.IsDBNull(4) ? new StoredAnswer(null, new IdempotentResponse(reader.GetInt32(4), reader.GetString(5)))
                : null;
            records[reader.GetString(0)] = new IdempotencyRecord(reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), answer);
        }

        return records;
    }

    private sealed record Insert(string Key, IdempotencyRecord Record, DateTimeOffset ExpiredBefore);

    private sealed record Completion(string Key, IdempotencyRecord Record, StoredAnswer Answer);
}
