using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>The <c>order_idempotency</c> table (deploy/sql/0032_orders_due_and_idempotency.sql).</summary>
public sealed class PostgresIdempotencyStore(NpgsqlDataSource dataSource) : IIdempotencyStore
{
    public async Task<IdempotencyRecord?> InsertOrGetAsync(string key, IdempotencyRecord record, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO order_idempotency (grain_key, request_hash, order_no, created_at) VALUES (@key, @hash, @no, @created)
            ON CONFLICT (grain_key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, order_no = EXCLUDED.order_no, created_at = EXCLUDED.created_at,
                    status_code = NULL, body = NULL
                WHERE order_idempotency.created_at <= @expired_before
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("hash", record.RequestHash);
        command.Parameters.AddWithValue("no", record.OrderNo);
        command.Parameters.AddWithValue("created", record.CreatedAt);
        command.Parameters.AddWithValue("expired_before", expiredBefore);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? null : await ReadAsync(key, cancellationToken);
    }

    public async Task<IdempotencyRecord?> CompleteAsync(string key, IdempotencyRecord record, IdempotentResponse response, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE order_idempotency SET status_code = @status, body = @body
            WHERE grain_key = @key AND request_hash = @hash AND created_at = @created AND status_code IS NULL
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("hash", record.RequestHash);
        command.Parameters.AddWithValue("created", record.CreatedAt);
        command.Parameters.AddWithValue("status", response.StatusCode);
        command.Parameters.AddWithValue("body", response.Body);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? record with { Response = response } : await ReadAsync(key, cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM order_idempotency WHERE grain_key IN
                (SELECT grain_key FROM order_idempotency WHERE created_at < @before ORDER BY created_at LIMIT @limit)
            """);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IdempotencyRecord?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT request_hash, order_no, created_at, status_code, body FROM order_idempotency WHERE grain_key = @key");
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var response = reader.IsDBNull(3) ? null : new IdempotentResponse(reader.GetInt32(3), reader.GetString(4));
        return new IdempotencyRecord(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), response);
    }
}
