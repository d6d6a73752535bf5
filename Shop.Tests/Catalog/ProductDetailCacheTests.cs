using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Catalog;

/// <summary>
/// The API host's product-page cache: within its TTL every shopper's read of a product is answered by one grain call,
/// concurrent misses share that call, and a change shows once the TTL has passed (a fake clock moves it).
/// </summary>
public sealed class ProductDetailCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ProductReadCounter _reads = new();
    private ShopTestCluster _cluster = null!;
    private ICatalogApi _admin = null!;
    private ICatalogApi _shop = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ShopTestCluster.StartAsync(configure: c =>
        {
            CatalogClusterFixture.Configure(c);
            c.Settings["Catalog:DetailCacheTtl"] = "00:00:02";
            c.ConfigureSiloServices = services => services.AddSingleton<IIncomingGrainCallFilter>(_reads);
            c.ConfigureApiServices = services => services.AddSingleton<TimeProvider>(_clock);
        });
        _admin = CatalogClusterFixture.Api(_cluster, TestTokens.Admin());
        _shop = CatalogClusterFixture.Api(_cluster, null);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Two_hundred_concurrent_reads_of_a_product_cost_one_grain_call_and_say_how_long_to_cache()
    {
        var product = await _admin.OnShelfAsync(CatalogSeed.Product(await _admin.CategoryAsync(), name: "Hot tea", price: 990));
        _reads.Reset();

        var pages = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => _shop.GetProductAsync(product.Id)));

        Assert.All(pages, p => Assert.Equal(("Hot tea", 990L), (CatalogAssert.Ok(p).Name, CatalogAssert.Ok(p).PriceFen)));
        Assert.Equal(1, _reads.Count);
        Assert.Equal("public, max-age=2", pages[0].Headers!.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_price_change_and_an_off_shelf_product_show_once_the_ttl_has_passed()
    {
        var category = await _admin.CategoryAsync();
        var product = await _admin.OnShelfAsync(CatalogSeed.Product(category, name: "Oolong", price: 3_800));
        Assert.Equal(3_800, CatalogAssert.Ok(await _shop.GetProductAsync(product.Id)).PriceFen);

        CatalogAssert.Ok(await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "Oolong", price: 2_800)));
        Assert.Equal(3_800, CatalogAssert.Ok(await _shop.GetProductAsync(product.Id)).PriceFen);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2_800, CatalogAssert.Ok(await _shop.GetProductAsync(product.Id)).PriceFen);

        CatalogAssert.Ok(await _admin.SetProductStatusAsync(product.Id, new ProductStatusRequest("OffShelf")));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.NotFound, (await _shop.GetProductAsync(product.Id)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_product_is_remembered_for_the_ttl_too()
    {
        var unknown = ProductId.New();
        _reads.Reset();

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _shop.GetProductAsync(unknown)).StatusCode);
        }

        Assert.Equal(1, _reads.Count);
    }

    private sealed class ProductReadCounter : IIncomingGrainCallFilter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name == nameof(IProductGrain.GetOnShelfAsync))
            {
                Interlocked.Increment(ref _count);
            }

            return context.Invoke();
        }
    }
}
