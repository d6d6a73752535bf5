using Npgsql;

namespace Shop.Benchmarks.Postgres;

/// <summary>
/// The PostgreSQL server of a run: <c>SHOP_TEST_POSTGRES</c> when set (a user that may create databases), otherwise a
/// throwaway server. Every run gets fresh databases on it: one for Shop, one for the raw-PostgreSQL baseline.
/// </summary>
public sealed class PostgresTarget : IAsyncDisposable
{
    public const string EnvironmentVariable = "SHOP_TEST_POSTGRES";

    private readonly ThrowawayPostgres? _throwaway;
    private readonly string _adminConnectionString;

    private PostgresTarget(string adminConnectionString, ThrowawayPostgres? throwaway, string description)
    {
        _adminConnectionString = adminConnectionString;
        _throwaway = throwaway;
        Description = description;
    }

    public string Description { get; }

    public string Version { get; private set; } = "?";

    public string Fsync { get; private set; } = "?";

    public string SynchronousCommit { get; private set; } = "?";

    public string SharedBuffers { get; private set; } = "?";

    public static async Task<PostgresTarget> StartAsync(bool durable)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var target = string.IsNullOrWhiteSpace(external)
            ? await Throwaway(durable)
            : new PostgresTarget(external, null, $"{EnvironmentVariable} ({new NpgsqlConnectionStringBuilder(external).Host})");
        try
        {
            await target.DescribeAsync();
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>--url --db</c>: the deployment's own database; the baseline then runs in a schema of its own there.</summary>
    public static async Task<PostgresTarget> AttachAsync(string database)
    {
        var target = new PostgresTarget(database, null, $"the deployment's database ({new NpgsqlConnectionStringBuilder(database).Host})") { Attached = true };
        await target.DescribeAsync();
        return target;
    }

    /// <summary>True when this is someone else's database, where the tool creates no databases of its own.</summary>
    public bool Attached { get; private init; }

    private async Task DescribeAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        Version = await ScalarAsync(connection, "SHOW server_version");
        Fsync = await ScalarAsync(connection, "SHOW fsync");
        SynchronousCommit = await ScalarAsync(connection, "SHOW synchronous_commit");
        SharedBuffers = await ScalarAsync(connection, "SHOW shared_buffers");
    }

    private static async Task<PostgresTarget> Throwaway(bool durable)
    {
        var server = await ThrowawayPostgres.StartAsync(durable);
        return new PostgresTarget(server.ConnectionString, server, $"throwaway server on port {server.Port}{(durable ? "" : " (smoke: not durable)")}");
    }

    public override string ToString() =>
        $"PostgreSQL {Version}, {Description}: fsync={Fsync}, synchronous_commit={SynchronousCommit}, shared_buffers={SharedBuffers}";

    /// <summary>A new, empty database; returns its connection string (pool settings left to whoever uses it).</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        if (Attached)
        {
            return _adminConnectionString;
        }

        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name };
        return builder.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_throwaway is not null)
        {
            await _throwaway.DisposeAsync();
        }
    }

    public static async Task<string> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }
}
