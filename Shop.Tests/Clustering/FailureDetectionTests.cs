using System.Diagnostics;
using Npgsql;
using Shop.Tests.Cluster;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Clustering;

/// <summary>How fast the cluster declares a crashed silo dead with the default membership settings, on PostgreSQL.</summary>
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task A_killed_silo_is_declared_dead_within_twelve_seconds_and_no_survivor_is_evicted()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 3, new Dictionary<string, string>(), withApi: false);
        try
        {
            var (connectionString, clusterId) = (cluster.Database, cluster.ClusterId);
            await Poll.UntilAsync(() => StatusesAsync(connectionString, clusterId), s => s.Values.Count(v => v == Active) == 3,
                TimeSpan.FromSeconds(30), "three active silos in the membership table");

            var victim = cluster.Silos[1];
            var clock = Stopwatch.StartNew();
            await victim.Host.KillAsync();
            await Poll.UntilAsync(() => StatusesAsync(connectionString, clusterId), s => s[victim.SiloPort] == Dead,
                TimeSpan.FromSeconds(30), "the killed silo to be declared dead");
            var declared = clock.Elapsed;
            output.WriteLine($"SIGKILLed silo declared dead after {declared.TotalSeconds:N1} s");

            Assert.True(declared < TimeSpan.FromSeconds(12), $"declared dead after {declared.TotalSeconds:N1} s");
            var statuses = await StatusesAsync(connectionString, clusterId);
            Assert.All(cluster.Silos.Where(s => s != victim), s => Assert.Equal(Active, statuses[s.SiloPort]));
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            throw;
        }
    }

    /// <summary>Membership status by silo port (each silo of this test has its own port).</summary>
    private static async Task<Dictionary<int, int>> StatusesAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT port, status FROM orleansmembershiptable WHERE deploymentid = @id", connection);
        command.Parameters.AddWithValue("id", clusterId);
        var statuses = new Dictionary<int, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses[reader.GetInt32(0)] = reader.GetInt32(1);
        }

        return statuses;
    }
}
