using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.PersonalData.Erasure;

/// <summary>
/// <c>personal_data_erasures</c> and the erasure statements (deploy/sql/0065_personal_data_erasure.sql). Plain pooled
/// connections, like the after-sales store: erasure is rare, so it takes no pool of its own.
/// </summary>
public sealed class PostgresErasureStore(string connectionString) : IErasureStore
{
    public async Task<(ErasureRecord? Record, long Version)> LoadAsync(string lookupKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT state::text, version FROM personal_data_erasures WHERE lookup_key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = lookupKey });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (JsonSerializer.Deserialize<ErasureRecord>(reader.GetString(0), ErasureJson.Options), reader.GetInt64(1))
            : (null, 0);
    }

    public async Task SaveAsync(ErasureRecord record, long expectedVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(expectedVersion == 0
            ? """
              INSERT INTO personal_data_erasures (lookup_key, request_id, user_id, status, requested_at, completed_at, due_at, version, state)
              VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) ON CONFLICT (lookup_key) DO NOTHING
              """
            : """
              UPDATE personal_data_erasures SET request_id = $2, user_id = $3, status = $4, requested_at = $5, completed_at = $6,
                  due_at = $7, version = version + 1, state = $8
              WHERE lookup_key = $1 AND version = $9
              """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = record.LookupKey });
        command.Parameters.Add(new NpgsqlParameter { Value = record.RequestId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = record.Status.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = record.RequestedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.CompletedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.DueAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(record, ErasureJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (expectedVersion != 0)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });
        }

        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new InvalidOperationException($"Erasure request {record.RequestId} changed since version {expectedVersion}.");
        }
    }

    public async Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        await ListAsync("SELECT lookup_key FROM personal_data_erasures WHERE due_at <= $1 ORDER BY due_at, lookup_key LIMIT $2",
            [now, limit], cancellationToken);

    public async Task<IReadOnlyList<string>> ListOrdersAsync(string userId, string? after, int limit, CancellationToken cancellationToken = default) =>
        await ListAsync("SELECT order_no FROM orders WHERE user_id = $1 AND order_no > $2 ORDER BY order_no LIMIT $3",
            [userId, after ?? "", limit], cancellationToken);

    public async Task<IReadOnlyList<ExpiredOrder>> ListExpiredOrdersAsync(DateTimeOffset cutoff, ExpiredOrder? after, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // The statuses as literals, exactly as in the partial index orders_retention, so the planner can use it.
        await using var command = new NpgsqlCommand("""
            SELECT updated_at, order_no FROM orders
            WHERE status IN ('Completed', 'Cancelled', 'Refunded', 'Rejected') AND (state->>'personalDataErasedAt') IS NULL
              AND updated_at < $1 AND (updated_at, order_no) > ($2, $3)
            ORDER BY updated_at, order_no LIMIT $4
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.UpdatedAt ?? DateTimeOffset.UnixEpoch });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.OrderNo ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var found = new List<ExpiredOrder>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(new ExpiredOrder(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1)));
        }

        return found;
    }

    public async Task ScrubOrderAsync(string orderNo, IReadOnlyList<string> skus, string userId, string? openId, string pseudonym,
        CancellationToken cancellationToken = default)
    {
        // Whole JSON values only: the user id, the customer's actor, and the bare openid (bill rows, upload payloads).
        string[] finds = openId is null ? [userId, "customer:" + userId] : [userId, "customer:" + userId, openId];
        string[] replacements = openId is null ? [pseudonym, "customer:" + pseudonym] : [pseudonym, "customer:" + pseudonym, "erased"];
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        NpgsqlBatchCommand[] commands =
        [
            new("UPDATE orders SET user_id = @pseudonym WHERE order_no = @no AND user_id = @user"),
            new("UPDATE order_events SET payload = shop_scrub_json(payload, @finds, @replacements) WHERE order_no = @no"),
            new("DELETE FROM order_idempotency WHERE order_no = @no"),
            new("UPDATE after_sales_requests SET user_id = @pseudonym WHERE order_no = @no AND user_id = @user"),
            new("""
                UPDATE inventory_log SET events = shop_scrub_json(events, @finds, @replacements)
                WHERE sku = ANY(@skus) AND strpos(events::text, to_jsonb(@user::text)::text) > 0
                """),
            new("""
                UPDATE inventory_snapshot SET state = shop_scrub_json(state, @finds, @replacements)
                WHERE sku = ANY(@skus) AND strpos(state::text, to_jsonb(@user::text)::text) > 0
                """),
            new("UPDATE reconciliation_bill_rows SET row_data = shop_scrub_json(row_data, @finds, @replacements) WHERE out_trade_no = @no"),
        ];
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in commands)
        {
            command.Parameters.AddWithValue("no", orderNo);
            command.Parameters.AddWithValue("user", userId);
            command.Parameters.AddWithValue("pseudonym", pseudonym);
            command.Parameters.AddWithValue("finds", finds);
            command.Parameters.AddWithValue("replacements", replacements);
            command.Parameters.AddWithValue("skus", skus.ToArray());
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task ScrubCustomerAsync(string userId, string pseudonym, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new("DELETE FROM orleansstorage WHERE grainidextensionstring = $1 AND payloadbinary IS NULL") { Parameters = { new() { Value = userId } } },
                new("UPDATE personal_data_access SET customer_id = $2 WHERE customer_id = $1")
                {
                    Parameters = { new() { Value = userId }, new() { Value = pseudonym } },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(long Pending, long Completed)> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE status = 'Pending'), count(*) FILTER (WHERE status = 'Completed') FROM personal_data_erasures", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task<IReadOnlyList<string>> ListAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
