using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Silo.Database;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Hands out databases, empty or already migrated. <c>SHOP_TEST_POSTGRES</c> (a connection string to a server where the
/// user may create databases) wins; otherwise one throwaway server is started for the whole test run and stopped at exit.
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

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public static Task<string> CreateAsync(string prefix = "shop") => CreateAsync(prefix, template: null);

    /// <summary>
    /// Creates a new database with every schema script of <c>deploy/sql</c> applied, exactly as a silo's migrator leaves
    /// it (<c>shop_schema_migrations</c> included, so a silo starting on it applies nothing), and returns its connection
    /// string. It is a copy of a template migrated once per test run: PostgreSQL copies a database in a fraction of the
    /// time the scripts take, and most tests start a cluster on a fresh database. Tests of the migrations themselves
    /// take <see cref="CreateAsync(string)"/>.
    /// </summary>
    public static async Task<string> CreateMigratedAsync(string prefix = "shop") => await CreateAsync(prefix, await Template.Value);

    private static async Task<string> CreateTemplateAsync()
    {
        var connectionString = await CreateAsync("shop_template", template: null);
        await new SchemaMigrator(connectionString, SchemaMigrator.DefaultScriptDirectory, NullLogger.Instance).MigrateAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        // A template must have no session open while it is copied (the migrator's connection is unpooled and closed):
        // no connections at all keeps it that way.
        await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    private static async Task<string> AdminConnectionStringAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(external)
            ? (await SharedServer.Value).AdminConnectionString
            : new NpgsqlConnectionStringBuilder(external) { Pooling = false }.ConnectionString;
    }

    private static async Task<string> CreateAsync(string prefix, string? template)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(external))
        {
            return await (await SharedServer.Value).CreateDatabaseAsync(prefix, template);
        }

        var builder = new NpgsqlConnectionStringBuilder(external);
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        builder.MaxPoolSize = 50;
        builder.ConnectionIdleLifetime = 5;
        builder.ConnectionPruningInterval = 1;
        return builder.ConnectionString;
    }
}
