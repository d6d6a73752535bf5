using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Client.Catalog;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Xunit.Abstractions;

namespace Shop.Tests.Clustering;

/// <summary>
/// A silo dies while orders and reads are in flight: the API repeats those calls (they are idempotent) until the grains
/// answer from a surviving silo, so shoppers see no error, and every order acknowledged exists exactly once.
/// </summary>
public sealed class SiloFailoverRetryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Orders_and_reads_in_flight_when_a_silo_dies_succeed_without_client_retries()
    {
        var apiLogs = new CapturedLogs();
        await using var cluster = await ShopTestCluster.StartAsync(silos: 3,
            configure: c => c.ConfigureApiServices = services => services.AddSingleton<ILoggerProvider>(apiLogs));
        var products = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            products.Add((await cluster.ProductAsync(stock: 100_000)).Id);
        }

        var storefront = CatalogApiClient.Create(cluster.CreateClient());
        var statuses = new ConcurrentDictionary<string, int>();
        var created = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        var killAt = TimeSpan.FromSeconds(3);
        var runFor = TimeSpan.FromSeconds(15);
        var shoppers = Enumerable.Range(0, 24).Select(async n =>
        {
            var orders = cluster.Orders(TestTokens.Customer($"failover-{n}"));
            for (var i = 0; clock.Elapsed < runFor; i++)
            {
                var order = await orders.CreateOrderAsync(OrderTestSupport.Request((products[(n + i) % products.Count], 1)), OrderTestSupport.NewKey());
                statuses.AddOrUpdate($"POST {(int?)order.StatusCode}", 1, (_, c) => c + 1);
                if (order.StatusCode == HttpStatusCode.Created)
                {
                    created.Add(order.Content!.OrderNo);
                    var read = await orders.GetOrderAsync(order.Content.OrderNo);
                    statuses.AddOrUpdate($"GET order {(int?)read.StatusCode}", 1, (_, c) => c + 1);
                }

                var detail = await storefront.GetProductAsync(products[(n + i + 1) % products.Count]);
                statuses.AddOrUpdate($"GET product {(int?)detail.StatusCode}", 1, (_, c) => c + 1);
            }
        }).ToList();

        await Poll.UntilAsync(() => Task.FromResult(clock.Elapsed), e => e >= killAt, TimeSpan.FromSeconds(30), "the load to run");
        var before = created.Count;
        await cluster.Silos[1].KillAsync();
        await Task.WhenAll(shoppers);

        output.WriteLine($"{before} orders before the kill, {created.Count} in all; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        foreach (var error in apiLogs.Entries.Where(e => e.Level >= LogLevel.Error))
        {
            output.WriteLine($"API error: {error.Message} {error.Exception}");
        }

        Assert.All(statuses.Keys, k => Assert.Matches(" 20[01]$", k));
        Assert.True(created.Count > before, "no order was created after the kill");
        Assert.Equal(created.Count, created.Distinct().Count());
        var orders = cluster.Orders(TestTokens.Admin());
        foreach (var orderNo in created.Take(50))
        {
            Assert.Equal(HttpStatusCode.OK, (await orders.GetOrderAsync(orderNo)).StatusCode);
        }
    }
}
