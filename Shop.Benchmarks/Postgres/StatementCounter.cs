using Npgsql;

namespace Shop.Benchmarks.Postgres;

/// <summary>
/// Counts the SQL statements PostgreSQL executed in one database while a scenario was measured, from
/// <c>pg_stat_statements</c> (the hosts are separate processes, so the server is the one place that sees them all).
/// Unavailable (null) when the server was not started with the extension preloaded.
/// </summary>
public sealed class StatementCounter
{
    private readonly string _connectionString;
    private readonly Dictionary<string, long> _before;

    private StatementCounter(string connectionString, Dictionary<string, long> before)
    {
        _connectionString = connectionString;
        _before = before;
    }

    public static async Task<StatementCounter?> StartAsync(string? connectionString)
    {
        if (connectionString is null)
        {
            return null;
        }

        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            return new StatementCounter(connectionString, await SnapshotAsync(connection));
        }
        catch (PostgresException ex)
        {
            Console.WriteLine($"  (no statement counts: {ex.MessageText}; preload pg_stat_statements to get them)");
            return null;
        }
    }

    /// <summary>Statements per operation since the start, in total and by statement text (most frequent first).</summary>
    public async Task<StatementCount> StopAsync(long operations)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var after = await SnapshotAsync(connection);
        var delta = after.Select(p => (Sql: p.Key, Calls: p.Value - _before.GetValueOrDefault(p.Key)))
            .Where(p => p.Calls > 0).OrderByDescending(p => p.Calls).ToList();
        var perOperation = operations == 0 ? 0 : (double)delta.Sum(p => p.Calls) / operations;
        var breakdown = string.Join(Environment.NewLine, delta.Take(10).Select(p =>
            $"    {(double)p.Calls / Math.Max(1, operations),7:N3} × {Shorten(p.Sql)}"));
        return new StatementCount(perOperation, breakdown);
    }

    private static string Shorten(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        return line.Length > 110 ? line[..110] : line;
    }

    private static async Task<Dictionary<string, long>> SnapshotAsync(NpgsqlConnection connection)
    {
        const string sql = """
            SELECT query, sum(calls)::bigint FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
            GROUP BY query
            """;
        var calls = new Dictionary<string, long>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            calls[reader.GetString(0)] = reader.GetInt64(1);
        }

        return calls;
    }
}

public sealed record StatementCount(double PerOperation, string Breakdown);
