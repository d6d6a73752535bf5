using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Xunit.Abstractions;

namespace Shop.Tests.Clustering;

/// <summary>
/// Three silos and the API against a PostgreSQL with its default <c>max_connections = 100</c>, under concurrent orders:
/// every host stays inside <c>Database:MaxPoolSize</c>, so the server never refuses a connection and no shopper sees a
/// 500. The silos get a budget of 8 (2 per pool), below the 7-11 connections each one opens at this load uncapped, so
/// the test fails if any pool of a silo ignores the budget; the default of 20 per host fits 100 by arithmetic then.
/// </summary>
public sealed class ConnectionBudgetTests(ITestOutputHelper output)
{
    private const int SiloBudget = 8;

    [Fact]
    public async Task Three_silos_and_the_api_under_order_load_fit_a_default_postgres_and_answer_no_500()
    {
        await using var server = await PostgresServer.StartNewAsync(maxConnections: 100);
        var connectionString = await server.CreateDatabaseAsync("budget");
        // The test's connection string asks for 50 per pool; the host's budget wins.
        await using var cluster = await ShopTestCluster.StartAsync(silos: 3, connectionString: connectionString, configure: c =>
            // Each silo its own pools, as in separate processes (Npgsql pools by connection string).
            c.SiloSettings = n => new()
            {
                ["ConnectionStrings:Shop"] = connectionString + $";Application Name=budget-silo-{n}",
                ["Database:MaxPoolSize"] = SiloBudget.ToString(),
            });
        var products = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            products.Add((await cluster.ProductAsync(stock: 100_000)).Id);
        }

        var peak = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var sampler = SampleConnectionsAsync(server.AdminConnectionString, peak, stop.Token);
        var statuses = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();
        var customers = Enumerable.Range(0, 48).Select(async n =>
        {
            var orders = cluster.Orders(TestTokens.Customer($"budget-{n}"));
            while (clock.Elapsed < TimeSpan.FromSeconds(12))
            {
                var response = await orders.CreateOrderAsync(OrderTestSupport.Request((products[n % 3], 1)), OrderTestSupport.NewKey());
                statuses.AddOrUpdate((int?)response.StatusCode ?? 0, 1, (_, c) => c + 1);
            }
        });
        await Task.WhenAll(customers);
        await stop.CancelAsync();
        await sampler;

        output.WriteLine($"answers: {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}");
        output.WriteLine($"peak connections: {string.Join(", ", peak.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))}");
        Assert.Equal([201], statuses.Keys);
        Assert.True(statuses[201] >= 100, $"only {statuses[201]} orders in 12 s");
        for (var n = 0; n < 3; n++)
        {
            Assert.InRange(peak.GetValueOrDefault($"budget-silo-{n}"), 1, SiloBudget);
        }

        Assert.InRange(peak.GetValueOrDefault("total"), 1, 100);
    }

    /// <summary>Peak client connections per application name (and in total) while the load runs.</summary>
    private static async Task SampleConnectionsAsync(string adminConnectionString, ConcurrentDictionary<string, int> peak, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            await using var command = new NpgsqlCommand(
                "SELECT coalesce(application_name, ''), count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1",
                connection);
            var total = 0;
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    var (name, count) = (reader.GetString(0), reader.GetInt32(1));
                    total += count;
                    peak.AddOrUpdate(name, count, (_, c) => Math.Max(c, count));
                }
            }

            peak.AddOrUpdate("total", total, (_, c) => Math.Max(c, total));
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
