using Shop.Grains.Interfaces.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Foundation;

/// <summary>What an operator scrapes from a silo: activation and failure counts always, per-message Orleans metrics on request.</summary>
public sealed class MetricsSelectionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Costly_orleans_metrics_are_off_unless_asked_for_and_activation_counts_per_type_are_always_there(bool perMessage)
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true,
            configure: c => c.Settings["Observability:DetailedOrleansMetrics"] = perMessage ? "true" : "false");
        using var http = cluster.CreateClient(TestTokens.Admin());
        for (var i = 0; i < 5; i++)
        {
            await http.GetAsync($"/api/products/{ProductId.New()}");
        }

        using var scraper = new HttpClient();
        var metrics = await Poll.UntilAsync(() => scraper.GetStringAsync(new Uri(cluster.Silos[0].HttpAddress, "/metrics")),
            text => text.Contains("orleans_grains", StringComparison.Ordinal), what: "activation counts per grain type on /metrics");

        Assert.Equal(perMessage, metrics.Contains("orleans_messaging_received_messages_size", StringComparison.Ordinal));
        Assert.Equal(perMessage, metrics.Contains("orleans_app_requests_latency", StringComparison.Ordinal));
        Assert.Equal(perMessage, metrics.Contains("orleans_catalog_activations", StringComparison.Ordinal));
    }
}
