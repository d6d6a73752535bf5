using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Audit;

/// <summary>
/// The silos audit the stock by themselves every <c>Audit:StockInterval</c> (one run at a time for the whole cluster)
/// and every silo's <c>shop_stock_audit_discrepancies</c> shows the latest result, so the alert on it fires without
/// anyone calling <c>GET /api/admin/audit/stock</c>.
/// </summary>
public sealed class PeriodicStockAuditTests
{
    private const string Discrepancies = "shop_stock_audit_discrepancies";
    private const string Runs = "shop_stock_audit_runs_total";

    [Fact]
    public async Task Tampered_stock_shows_on_every_silos_gauge_without_anyone_asking_for_an_audit()
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: 2, configure: c => c.Settings["Audit:StockInterval"] = "00:00:01");
        var (a, _, _) = await StockAuditTests.WalkAsync(cluster);

        // Clean: audits run (on one silo or the other) and both silos report 0.
        var clean = await ScrapeSilosUntilAsync(cluster, silos => silos.Sum(s => s.Sum(Runs)) >= 2);
        Assert.All(clean, s => Assert.Equal(0, s.Sum(Discrepancies)));

        await StockAuditTests.ExecuteAsync(cluster.ConnectionString!, "UPDATE inventory_adjustments SET delta = delta + 7 WHERE sku = $1", a);

        var broken = await ScrapeSilosUntilAsync(cluster, silos => silos.All(s => s.Sum(Discrepancies) == 1));
        Assert.All(broken, s => Assert.Equal(1, s.Sum(Discrepancies)));
        // Nobody called the audit endpoint: the API's own gauge never moved.
        var api = await PrometheusText.ScrapeAsync(cluster.ApiAddress);
        Assert.Equal(0, api.Sum(Runs));
    }

    private static Task<PrometheusText[]> ScrapeSilosUntilAsync(ShopTestCluster cluster, Func<PrometheusText[], bool> done) =>
        Poll.UntilAsync(() => Task.WhenAll(cluster.Silos.Select(s => PrometheusText.ScrapeAsync(s.HttpAddress))), done,
            TimeSpan.FromSeconds(30), what: "the silos' periodic stock audit");
}
