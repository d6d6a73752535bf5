using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Foundation;

public sealed class SchemaMigrationTests
{
    // What the Orleans 10.4.2 ADO.NET providers look up in OrleansQuery (read from the provider dlls); a missing
    // clustering or reminders key aborts the silo at startup, a missing storage key fails the first grain write.
    public static readonly TheoryData<string> RequiredQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private static SchemaMigrator Migrator(string connectionString, string? directory = null) =>
        new(connectionString, directory ?? SchemaMigrator.DefaultScriptDirectory, NullLogger.Instance);

    [Fact]
    public async Task Migrating_an_empty_database_twice_gives_the_same_version_without_error()
    {
        var connectionString = await TestDatabase.CreateAsync("migrate");
        var migrator = Migrator(connectionString);
        var newest = migrator.LoadScripts()[^1].Version;

        Assert.Equal(0, await migrator.CurrentVersionAsync());
        Assert.Equal(newest, await migrator.MigrateAsync());
        Assert.Equal(newest, await migrator.MigrateAsync());
        Assert.Equal(newest, await migrator.CurrentVersionAsync());
        Assert.Equal(migrator.LoadScripts().Count, await CountAsync(connectionString, "SELECT count(*) FROM shop_schema_migrations"));
    }

    [Fact]
    public async Task Silos_starting_together_apply_each_script_once()
    {
        var connectionString = await TestDatabase.CreateAsync("migrate");
        var versions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrator(connectionString).MigrateAsync()));

        Assert.All(versions, v => Assert.Equal(versions[0], v));
        Assert.Equal(Migrator(connectionString).LoadScripts().Count, await CountAsync(connectionString, "SELECT count(*) FROM shop_schema_migrations"));
    }

    [Fact]
    public async Task A_database_made_by_an_older_version_is_upgraded_and_keeps_its_data()
    {
        var connectionString = await TestDatabase.CreateAsync("migrate");
        var older = Directory.CreateTempSubdirectory("shop-sql-old");
        try
        {
            // "An older version of the project" = one that shipped only the first scripts.
            foreach (var script in Directory.GetFiles(SchemaMigrator.DefaultScriptDirectory, "*.sql").Order().Take(2))
            {
                File.Copy(script, Path.Combine(older.FullName, Path.GetFileName(script)));
            }

            Assert.Equal(2, await Migrator(connectionString, older.FullName).MigrateAsync());
            await ExecuteAsync(connectionString,
                "INSERT INTO orleansmembershipversiontable (deploymentid, timestamp, version) VALUES ('kept', now(), 7)");

            var newest = await Migrator(connectionString).MigrateAsync();

            Assert.True(newest > 2);
            Assert.Equal(7, await CountAsync(connectionString, "SELECT version FROM orleansmembershipversiontable WHERE deploymentid = 'kept'"));
        }
        finally
        {
            older.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(RequiredQueryKeys))]
    public async Task Every_query_key_the_Orleans_providers_ask_for_is_present(string key)
    {
        var connectionString = await SharedMigratedDatabase.Value;
        Assert.Equal(1, await CountAsync(connectionString, $"SELECT count(*) FROM orleansquery WHERE querykey = '{key}'"));
    }

    private static readonly Lazy<Task<string>> SharedMigratedDatabase = new(async () =>
    {
        var connectionString = await TestDatabase.CreateAsync("migrate");
        await Migrator(connectionString).MigrateAsync();
        return connectionString;
    });

    private static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
