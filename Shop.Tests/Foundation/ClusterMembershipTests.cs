using Npgsql;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Foundation;

public sealed class ClusterMembershipTests
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task Silos_join_through_postgres_and_a_gracefully_stopped_silo_leaves_the_cluster()
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: 2, withApi: false);
        var connectionString = cluster.ConnectionString!;

        var statuses = await Poll.UntilAsync(() => StatusesAsync(connectionString, cluster.ClusterId),
            s => s.Count(x => x == Active) == 2, what: "two active silos in the membership table");
        Assert.Equal(2, statuses.Count);

        await cluster.Silos[1].StopAsync();

        statuses = await StatusesAsync(connectionString, cluster.ClusterId);
        Assert.Equal(1, statuses.Count(x => x == Active));
        Assert.Equal(1, statuses.Count(x => x == Dead));
    }

    [Fact]
    public async Task The_migrate_command_applies_the_schema_alone()
    {
        var connectionString = await TestDatabase.CreateAsync("cli");

        var exitCode = await MigrateCommand.RunAsync(["migrate", $"--ConnectionStrings:Shop={connectionString}"]);

        Assert.Equal(0, exitCode);
        var migrator = new SchemaMigrator(connectionString, SchemaMigrator.DefaultScriptDirectory,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(migrator.LoadScripts()[^1].Version, await migrator.CurrentVersionAsync());
    }

    private static async Task<List<int>> StatusesAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM orleansmembershiptable WHERE deploymentid = @id", connection);
        command.Parameters.AddWithValue("id", clusterId);
        var statuses = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetInt32(0));
        }

        return statuses;
    }
}
