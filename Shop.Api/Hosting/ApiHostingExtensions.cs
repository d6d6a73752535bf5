using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Shop.Api.Admin;
using Shop.Api.Auth;
using Shop.Api.Campaigns;
using Shop.Api.Cart;
using Shop.Api.AfterSales;
using Shop.Api.Endpoints;
using Shop.Api.Payments.Reconciliation;
using Shop.Api.Errors;
using Shop.Api.Fulfilment;
using Shop.Api.Inventory;
using Shop.Api.Orders;
using Shop.Api.Payments;
using Shop.Api.PersonalData;
using Shop.Api.Catalog;
using Shop.Client;
using Shop.Hosting;

namespace Shop.Api.Hosting;

public static class ApiHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The API: an Orleans client of the cluster, JWT auth, problem details for every error, request limits and
    /// rate limiting, OpenAPI, health and metrics.
    /// </summary>
    public static WebApplicationBuilder AddShopApi(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var database = ShopDatabase.FromConfiguration(builder.Configuration);
        var cluster = ShopClusterOptions.FromConfiguration(builder.Configuration);
        var tls = ShopClusterTls.FromConfiguration(builder.Configuration);

        builder.AddShopObservability("shop-api");
        builder.Services.AddSingleton<ShopApiMetrics>();
        var health = builder.Services.AddShopHealthChecks(database).AddCheck<ClusterClientHealthCheck>("orleans-cluster", tags: [ShopHealth.ReadyTag]);
        var auth = ShopAuthOptions.FromConfiguration(builder.Configuration);
        builder.Services.AddShopAuthentication(auth);
        builder.AddShopApiShutdown(health);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SiloFailoverRetry>();
        builder.Services.ConfigureHttpJsonOptions(o => ShopJson.Configure(o.SerializerOptions));
        builder.Services.AddShopProblemDetails();
        var limits = ApiLimits.FromConfiguration(builder.Configuration);
        limits.ApplyTo(builder);
        builder.Services.AddShopRateLimiting(limits);
        builder.Services.AddShopOpenApi();
        var wechatLogin = builder.Configuration.GetSection(WeChatLoginOptions.Section).Get<WeChatLoginOptions>() ?? new WeChatLoginOptions();
        if (builder.Environment.IsDevelopment() || wechatLogin.Enabled)
        {
            // Development hosts mint tokens (POST /api/dev/token); WeChat login mints them for signed-in users.
            // Without either the issuer does not exist.
            auth.RequireSigning();
            builder.Services.AddSingleton(sp => new ShopTokenIssuer(auth, sp.GetRequiredService<TimeProvider>()));
        }

        builder.Services.AddShopPaymentsApi(builder.Configuration, wechatLogin);
        PersonalData.PersonalDataApi.AddShopPersonalData(builder);
        builder.Services.AddSingleton(ProductDetailCacheOptions.FromConfiguration(builder.Configuration));
        builder.Services.AddSingleton<ProductDetailCache>();
        builder.Services.AddSingleton<CourierDirectory>();
        Shipping.ShippingEndpoints.AddShopShippingApi(builder.Services, builder.Configuration);

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
            client.Services.AddCachedGrainInterfaceTypes();
            // A silo that joins (or replaces a dead one) is found within seconds, not the default minute.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.UseConnectionRetryFilter<ClusterConnectionRetryFilter>();
            if (database is null)
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }
            else
            {
                if (tls is not null)
                {
                    client.UseTls(tls.Certificate, tls.Configure);
                }

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
        app.UseShopProblemDetails();
        app.UseAuthentication();
        // After authentication so that callers are limited by their token's sub rather than their IP.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseJsonCharsetCheck();
        app.MapShopHealth();
        // Created now, not at the first order: the audit gauge must be scrapeable before anything happens.
        app.Services.GetRequiredService<ShopApiMetrics>();
        app.MapShopMetrics();
        app.MapShopOpenApi();

        var api = app.MapApiRoot();
        PersonalData.PersonalDataApi.MapPersonalData(api);
        app.MapJwksEndpoint();
        api.MapIdentityEndpoints();
        api.MapAdminEndpoints();
        api.MapStockAuditEndpoints();
        if (app.Environment.IsDevelopment())
        {
            api.MapDevTokenEndpoints();
        }

        api.MapStockEndpoints();
        api.MapOrderEventEndpoints();
        api.MapOrderEndpoints();
        api.MapCartEndpoints();
        api.MapCampaignEndpoints();
        api.MapWeChatPayEndpoints();
        api.MapWeChatPayNotify();
        api.MapWeChatLogin();
        api.MapAdminOrderEndpoints();
        api.MapRefundEndpoints();
        api.MapReconciliationEndpoints();
        api.MapShipmentEndpoints();
        api.MapAfterSalesEndpoints();
        api.MapAdminAfterSalesEndpoints();
        Shipping.ShippingEndpoints.MapShippingEndpoints(api);
        api.MapErasureEndpoints();
        api.MapCatalog();
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
