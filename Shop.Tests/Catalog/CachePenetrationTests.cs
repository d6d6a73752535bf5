using System.Net;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Catalog;

/// <summary>
/// Lookups of ids that do not exist must not cost a database read each, nor pin memory: malformed ids never reach a
/// grain, an unknown id is remembered by its activation for a short while, and those activations leave by themselves.
/// </summary>
public sealed class CachePenetrationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ShopTestCluster _cluster = null!;
    private CountingGrainStorage? _storage;
    private ICatalogApi _shop = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ShopTestCluster.StartAsync(configure: c =>
        {
            CatalogClusterFixture.Configure(c);
            // Long enough that a slow machine still serves the repeated lookups from the first activation.
            c.Settings["Catalog:UnknownProductRetention"] = "00:00:05";
            c.ConfigureSiloServices = services => CountingGrainStorage.Install(services, s => _storage = s);
        });
        _shop = CatalogClusterFixture.Api(_cluster, null);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private CountingGrainStorage Storage => _storage ?? throw new InvalidOperationException("Counting storage not installed");

    [Fact]
    public async Task Malformed_ids_are_400_and_touch_no_grain()
    {
        string[] malformed =
        [
            "abc",
            "p_AAAAAAAAAAAAAAAAAAAAAB", // 16 random bytes cannot end in B
            "p_AAAAAAAAAAAAAAAAAAAAA",
            "x_AAAAAAAAAAAAAAAAAAAAAA",
            "p_AAAAAAAAAAAAAAAAAAAA.A",
            "p_" + new string('A', 80),
        ];

        foreach (var id in malformed)
        {
            CatalogAssert.Validation(await _shop.GetProductAsync(id), "id");
        }

        Assert.Equal(0, await ProductActivationsAsync());
        Assert.Equal(0, ReadsOfAnyProduct());
    }

    [Fact]
    public async Task An_unknown_id_is_404_from_memory_after_the_first_miss_then_forgotten()
    {
        var id = ProductId.New();
        var grainId = ProductGrainId(id);

        for (var i = 0; i < 5; i++)
        {
            CatalogAssert.Problem(await _shop.GetProductAsync(id), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        }

        Assert.Equal(1, Storage.ReadsOf(grainId));
        Assert.Equal(1, await ProductActivationsAsync());

        // After the retention the activation deactivates itself; the next lookup reads once more.
        await Poll.UntilAsync(ProductActivationsAsync, n => n == 0, TimeSpan.FromSeconds(30), "the unknown product to be forgotten");
        CatalogAssert.Problem(await _shop.GetProductAsync(id), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        Assert.Equal(2, Storage.ReadsOf(grainId));
    }

    [Fact]
    public async Task A_flood_of_random_unknown_ids_does_not_pile_up_activations()
    {
        var admin = CatalogClusterFixture.Api(_cluster, TestTokens.Admin());
        var real = await admin.OnShelfAsync(CatalogSeed.Product(await admin.CategoryAsync()));
        using var http = _cluster.CreateClient();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var started = DateTime.UtcNow;

        await Parallel.ForEachAsync(Enumerable.Range(0, 2_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            using var response = await http.GetAsync($"/api/products/{ProductId.New()}", ct);
            statuses.Add(response.StatusCode);
        });

        var afterFlood = await ProductActivationsAsync();
        output.WriteLine($"2000 unknown ids in {(DateTime.UtcNow - started).TotalSeconds:F1}s; ProductGrain activations right after: {afterFlood}");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(2_000, ReadsOfAnyProduct() - Storage.ReadsOf(ProductGrainId(real.Id)));

        // Only the real product (whose activation is its detail cache) stays.
        var settled = await Poll.UntilAsync(ProductActivationsAsync, n => n <= 1, TimeSpan.FromSeconds(60), "unknown-product activations to go");
        output.WriteLine($"ProductGrain activations after the retention: {settled}");
        Assert.Equal(real.Name, CatalogAssert.Ok(await _shop.GetProductAsync(real.Id)).Name);
    }

    private GrainId ProductGrainId(string id) => _cluster.Grains.GetGrain<IProductGrain>(id).GetGrainId();

    private int ReadsOfAnyProduct() => Storage.ReadsOfType(ProductGrainId(ProductId.New()).Type.ToString()!);

    /// <summary>
    /// Per-silo activation directory walk. (GetSimpleGrainStatistics is fed by a process-wide static counter, so with
    /// several test clusters in one process it would count their activations too.)
    /// </summary>
    private async Task<int> ProductActivationsAsync()
    {
        var productType = ProductGrainId(ProductId.New()).Type;
        var stats = await _cluster.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return stats.Count(s => s.GrainId.Type == productType);
    }
}
