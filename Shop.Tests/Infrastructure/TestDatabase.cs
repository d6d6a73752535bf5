using Npgsql;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Hands out empty databases. <c>SHOP_TEST_POSTGRES</c> (a connection string to a server where the user may create
/// databases) wins; otherwise one throwaway server is started for the whole test run and stopped at exit.
/// </summary>
public static class TestDatabase
{
    public const string EnvironmentVariable = "SHOP_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(async () =>
    {
        var server = await PostgresServer.StartNewAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    });

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string prefix = "shop")
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(external))
        {
            return await (await SharedServer.Value).CreateDatabaseAsync(prefix);
        }

        var builder = new NpgsqlConnectionStringBuilder(external);
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        builder.MaxPoolSize = 50;
        builder.ConnectionIdleLifetime = 5;
        builder.ConnectionPruningInterval = 1;
        return builder.ConnectionString;
    }
}
