using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Client;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Api;

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiClusters>
{
    public const string Name = "api";
}

/// <summary>
/// Embedded clusters (one silo + the API, no database: these tests are about the HTTP edge) shared by the API
/// tests: one whose API runs in a non-Development environment, one in Development (dev token route, Scalar).
/// Tests that need special settings start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class ApiClusters : IAsyncLifetime
{
    /// <summary>A route on the Development API that fails the way a bug would, to test what clients and logs see.</summary>
    public const string ExplodingRoute = "/api/test/explode";

    public const string ExplodingSecret = "db password is hunter2";

    private readonly Lazy<Task<ShopTestCluster>> _testing;
    private readonly Lazy<Task<ShopTestCluster>> _development;

    public ApiClusters()
    {
        _testing = new(() => StartAsync());
        _development = new(() => StartAsync(c =>
        {
            c.ApiEnvironment = Environments.Development;
            // Not part of the API: kept out of the document, which the OpenAPI tests hold to the deployed standard.
            c.ConfigureApi = app => app.MapGet(ExplodingRoute, string () => throw new InvalidOperationException(ExplodingSecret)).ExcludeFromDescription();
            c.ConfigureApiServices = services => services.AddSingleton<ILoggerProvider>(DevelopmentLogs);
        }));
    }

    /// <summary>The API as deployed: not Development, so nothing dev-only is mapped.</summary>
    public Task<ShopTestCluster> Testing => _testing.Value;

    /// <summary>Development: the dev token route and Scalar are mapped, plus <see cref="ExplodingRoute"/>.</summary>
    public Task<ShopTestCluster> Development => _development.Value;

    /// <summary>What the Development API logs.</summary>
    public CapturedLogs DevelopmentLogs { get; } = new();

    public static Task<ShopTestCluster> StartAsync(Action<ShopTestCluster>? configure = null) =>
        ShopTestCluster.StartAsync(embedded: true, configure: configure);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var cluster in new[] { _testing, _development }.Where(c => c.IsValueCreated))
        {
            await (await cluster.Value).DisposeAsync();
        }
    }
}

public static class ShopTestClusterApiExtensions
{
    /// <summary>The typed client storefronts use, optionally carrying a bearer token.</summary>
    public static IShopApi CreateApi(this ShopTestCluster cluster, string? token = null) => ShopApiClient.Create(cluster.CreateClient(token));
}
