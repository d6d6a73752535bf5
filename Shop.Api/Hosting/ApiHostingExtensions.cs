using Orleans.Configuration;
using Shop.Api.Catalog;
using Shop.Hosting;

namespace Shop.Api.Hosting;

public static class ApiHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The API: an Orleans client of the cluster, JWT auth, problem details, health and metrics.</summary>
    public static WebApplicationBuilder AddShopApi(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var database = ShopDatabase.FromConfiguration(builder.Configuration);
        var cluster = ShopClusterOptions.FromConfiguration(builder.Configuration);

        builder.AddShopObservability("shop-api");
        builder.Services.AddShopHealthChecks(database).AddCheck<ClusterClientHealthCheck>("orleans-cluster", tags: [ShopHealth.ReadyTag]);
        builder.Services.AddShopAuthentication(ShopAuthOptions.FromConfiguration(builder.Configuration));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        if (database is null)
        {
            builder.Services.AddHostedService<NotPersistedWarning>();
        }
        else
        {
            builder.Services.AddHostedService(sp => new DatabaseReachableCheck(database));
        }

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.AddActivityPropagation();
            client.UseConnectionRetryFilter<ClusterConnectionRetryFilter>();
            if (database is null)
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }
            else
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = ShopDatabase.Invariant;
                    o.ConnectionString = database.ConnectionString;
                });
            }
        });

        return builder;
    }

    public static WebApplication MapShopApi(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapShopHealth();
        app.MapShopMetrics();
        app.MapCatalog();
        return app;
    }

    private sealed class NotPersistedWarning(ILogger<NotPersistedWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            ShopDatabase.WarnNotPersisted(logger, "shop-api");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class DatabaseReachableCheck(ShopDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.EnsureReachableAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
