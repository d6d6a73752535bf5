using Npgsql;

namespace Shop.Grains.Orders;

/// <summary>
/// The <c>order_worker_leases</c> table. Lease expiry uses the database clock (<c>now()</c>), so silos with skewed
/// clocks still agree on who holds what; high-water marks are in snowflake milliseconds.
/// </summary>
public sealed class PostgresWorkerLeases(string connectionString)
{
    public sealed record Claim(int WorkerId, long Floor, long ReservedUntil);

    /// <summary>Takes the free or expired id that has been unused longest; null when all 1024 are held.</summary>
    public async Task<Claim?> ClaimAsync(string silo, TimeSpan duration, long reserveUntilAtLeast, long window, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH free AS (
                SELECT worker_id, high_water_ms FROM order_worker_leases
                WHERE leased_until < now()
                ORDER BY leased_until, worker_id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE order_worker_leases AS l
            SET silo = @silo, leased_until = now() + @duration,
                high_water_ms = GREATEST(free.high_water_ms, @at_least) + @window
            FROM free
            WHERE l.worker_id = free.worker_id
            RETURNING l.worker_id, free.high_water_ms, l.high_water_ms
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("silo", silo);
        command.Parameters.AddWithValue("duration", duration);
        command.Parameters.AddWithValue("at_least", reserveUntilAtLeast);
        command.Parameters.AddWithValue("window", window);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Claim(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2))
            : null;
    }

    /// <summary>
    /// Extends the lease and raises the high-water mark; null when another silo has claimed the id (an expired lease
    /// that nobody took is still ours to renew).
    /// </summary>
    public async Task<long?> RenewAsync(int workerId, string silo, TimeSpan duration, long reserveUntil, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE order_worker_leases
            SET leased_until = now() + @duration, high_water_ms = GREATEST(high_water_ms, @reserve)
            WHERE worker_id = @worker AND silo = @silo
            RETURNING high_water_ms
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("silo", silo);
        command.Parameters.AddWithValue("duration", duration);
        command.Parameters.AddWithValue("reserve", reserveUntil);
        return await command.ExecuteScalarAsync(cancellationToken) is long highWater ? highWater : null;
    }

    /// <summary>
    /// Frees the id at once and lowers its high-water mark to what was really used (the generator is closed, so
    /// nothing above it was or will be issued), so the next owner need not run ahead of the wall clock.
    /// </summary>
    public async Task ReleaseAsync(int workerId, string silo, long lastUsed, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE order_worker_leases
            SET silo = '', leased_until = now(), high_water_ms = @last
            WHERE worker_id = @worker AND silo = @silo
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("worker", workerId);
        command.Parameters.AddWithValue("silo", silo);
        command.Parameters.AddWithValue("last", lastUsed);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
