using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Cluster;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "process clusters";
}

/// <summary>
/// Three silo processes, one API process and the WeChat Pay simulator on a fresh PostgreSQL database, under a flash sale
/// of 24 customers over HTTP on four SKUs (three with little stock, sold out during the run). Nothing acknowledged may be
/// lost when a silo dies (SIGKILL) or when every silo is restarted one by one (SIGTERM).
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Customers = 24;
    private static readonly TimeSpan PaymentTimeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Orders__PaymentTimeout"] = PaymentTimeout.ToString("c"),
        ["Orders__ReservationGrace"] = "00:00:05",
        ["Orders__DueSweepInterval"] = "00:00:02",
        ["Payments__ReconcileAfter__0"] = "00:00:10",
        ["Payments__ReconcileAfter__1"] = "00:00:20",
    };

    [Fact]
    public async Task A_silo_killed_mid_sale_loses_no_acknowledged_order_payment_or_unit()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 3, Settings);
        try
        {
            var skus = await SaleChecks.SeedAsync(cluster, 150, 300, 600, 1_000_000);
            using var sale = new FlashSale(cluster, skus, Customers);
            var (kill, replace, end) = (TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(22), TimeSpan.FromSeconds(45));
            using var stop = new CancellationTokenSource(end);
            var load = sale.RunAsync(stop.Token);

            await sale.At(kill);
            var victim = cluster.Silos[1];
            await victim.Host.KillAsync();
            output.WriteLine($"SIGKILL {victim.Host.Name} (pid {victim.Host.Pid}) at {sale.Elapsed.TotalSeconds:N1} s");
            await sale.At(replace);
            var replacement = await cluster.StartSiloAsync();
            output.WriteLine($"replacement {replacement.Host.Name} ready at {sale.Elapsed.TotalSeconds:N1} s");
            await load;

            var (retried, inVain) = sale.Retries;
            var (baseline, recovery) = sale.Recovery(kill, end);
            output.WriteLine($"{sale.Created.Count} orders answered 201, {sale.PaidAtSimulator.Count} paid at the simulator; " +
                $"requests failed after the kill: {sale.FailedBetween(kill, end)}; needed the retry with the same Idempotency-Key: {retried} " +
                $"(failed again: {inVain}); throughput before the kill {baseline}/s, back to normal {recovery?.ToString("N0") ?? "never"} s after the kill");
            output.WriteLine($"served per second (served/failed!): {sale.Timeline(end)}");
            foreach (var failure in sale.FailureSamples)
            {
                output.WriteLine("  " + failure);
            }

            Assert.Equal(0, sale.FailedBetween(TimeSpan.Zero, kill));
            Assert.True(recovery is not null, "throughput never came back after the kill");
            Assert.True(sale.PaidAtSimulator.Count > 0 && sale.Created.Count > sale.PaidAtSimulator.Count);

            await SaleChecks.AssertStoredWithLinesAsync(cluster, sale.Created);
            await SaleChecks.AssertPaidExactlyOnceAsync(cluster, sale);
            var audit = await SaleChecks.AssertSettledAfterTimeoutAsync(cluster, sale, skus, PaymentTimeout + TimeSpan.FromSeconds(60));
            output.WriteLine($"after the payment timeout: stock audit of {audit.CheckedSkus} SKUs and {audit.CheckedOrders} orders found no discrepancy");
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            throw;
        }
    }
}
