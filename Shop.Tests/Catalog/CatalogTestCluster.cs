using Shop.Client.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Catalog;

/// <summary>One real cluster (PostgreSQL, silo, API) shared by the catalog tests of the "catalog" collection.</summary>
public sealed class CatalogClusterFixture : IAsyncLifetime
{
    public ShopTestCluster Cluster { get; private set; } = null!;

    public ICatalogApi Admin { get; private set; } = null!;

    public ICatalogApi Anonymous { get; private set; } = null!;

    public ICatalogApi Customer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ShopTestCluster.StartAsync(configure: Configure);
        Admin = Api(Cluster, TestTokens.Admin());
        Anonymous = Api(Cluster, null);
        Customer = Api(Cluster, TestTokens.Customer());
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>
    /// Short catalog timings so that tests observe retention and retries within seconds, and rate limits out of the
    /// way: these tests drive hundreds of calls with one token (rate limiting has its own tests in Api/).
    /// </summary>
    public static void Configure(ShopTestCluster cluster)
    {
        cluster.Settings["RateLimiting:Reads:PermitLimit"] = "1000000";
        cluster.Settings["RateLimiting:Writes:PermitLimit"] = "1000000";
        cluster.Settings["Catalog:UnknownProductRetention"] = "00:00:02";
        cluster.Settings["Catalog:ProjectionRetryDelay"] = "00:00:00.200";
        cluster.Settings["Catalog:ProjectionRetryMaxDelay"] = "00:00:01";
    }

    public static ICatalogApi Api(ShopTestCluster cluster, string? token) => CatalogApiClient.Create(cluster.CreateClient(token));
}

[CollectionDefinition(Name)]
public sealed class CatalogCollection : ICollectionFixture<CatalogClusterFixture>
{
    public const string Name = "catalog";
}
