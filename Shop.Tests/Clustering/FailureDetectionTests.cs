using System.Diagnostics;
using Npgsql;
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
        var connectionString = await TestDatabase.CreateAsync("liveness");
        var clusterId = "liveness-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new List<SiloProcess>();
        try
        {
            // The first one migrates the schema; the others join the cluster it formed.
            silos.Add(SiloProcess.Start(connectionString, clusterId));
            await silos[0].WaitReadyAsync(TimeSpan.FromSeconds(120));
            silos.Add(SiloProcess.Start(connectionString, clusterId));
            silos.Add(SiloProcess.Start(connectionString, clusterId));
            await Task.WhenAll(silos.Skip(1).Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(120))));
            await Poll.UntilAsync(() => StatusesAsync(connectionString, clusterId), s => s.Values.Count(v => v == Active) == 3,
                TimeSpan.FromSeconds(30), "three active silos in the membership table");

            var victim = silos[1];
            var clock = Stopwatch.StartNew();
            victim.Kill();
            await Poll.UntilAsync(() => StatusesAsync(connectionString, clusterId), s => s[victim.SiloPort] == Dead,
                TimeSpan.FromSeconds(30), "the killed silo to be declared dead");
            var declared = clock.Elapsed;
            output.WriteLine($"SIGKILLed silo declared dead after {declared.TotalSeconds:N1} s");

            Assert.True(declared < TimeSpan.FromSeconds(12), $"declared dead after {declared.TotalSeconds:N1} s");
            var statuses = await StatusesAsync(connectionString, clusterId);
            Assert.All(silos.Where(s => s != victim), s => Assert.Equal(Active, statuses[s.SiloPort]));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
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
