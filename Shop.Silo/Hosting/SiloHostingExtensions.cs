using Orleans.Configuration;
using Orleans.Dashboard;
using Shop.Grains.Inventory;
using Shop.Grains.Catalog;
using Shop.Grains.Orders;
using Shop.Grains.Observability;
using Shop.Grains.Payments.WeChatPay;
using Shop.Hosting;
using Shop.Silo.Database;

namespace Shop.Silo.Hosting;

public static class SiloHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>The silo: Orleans (PostgreSQL or embedded), dashboard, health, metrics, schema migration.</summary>
    public static WebApplicationBuilder AddShopSilo(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var database = ShopDatabase.FromConfiguration(builder.Configuration);
        var cluster = ShopClusterOptions.FromConfiguration(builder.Configuration);

        builder.AddShopObservability("shop-silo");
        builder.Services.AddShopHealthChecks(database).AddCheck<SiloReadyHealthCheck>("silo", tags: [ShopHealth.ReadyTag]);
        builder.Services.AddShopAuthentication(ShopAuthOptions.FromConfiguration(builder.Configuration));
        builder.Services.AddShopDashboardSignIn(builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddShopInventory(database?.ConnectionString);
        builder.Services.AddShopCatalog(database?.ConnectionString);
        builder.Services.AddShopOrders(database?.ConnectionString, builder.Configuration);
        builder.Services.AddShopPayments(builder.Configuration);

        if (database is not null)
        {
            builder.Services.AddSingleton(database);
            // Registered before Orleans so that it runs (and fails fast) before the silo touches its tables.
            builder.Services.AddHostedService<SchemaMigrationHostedService>();
        }
        else
        {
            builder.Services.AddHostedService<NotPersistedWarning>();
        }

        // After the schema migration: the reconciliation backlog reads the reminders table from its first tick.
        builder.Services.AddShopGrainMetrics(database?.ConnectionString, cluster.ServiceId);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.AddActivityPropagation();
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.AddDashboard();
            // The dashboard samples every observable counter at this pace; some (activation and directory-cache
            // counts) walk every activation, so once a second costs the order path a few percent at 100k activations.
            silo.Services.Configure<DashboardOptions>(o => o.CounterUpdateIntervalMs = 5_000);
            silo.Services.Configure<DashboardOptions>(builder.Configuration.GetSection("Dashboard"));
            ConfigureFastFailureDetection(silo);
            silo.UseShopKubernetesHosting(builder.Configuration);

            if (database is null)
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
                silo.AddMemoryGrainStorageAsDefault();
                silo.UseInMemoryReminderService();
                return;
            }

            silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = ShopDatabase.Invariant;
                o.ConnectionString = database.ConnectionString;
            });
            silo.AddAdoNetGrainStorageAsDefault(o =>
            {
                o.Invariant = ShopDatabase.Invariant;
                o.ConnectionString = database.ConnectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = ShopDatabase.Invariant;
                o.ConnectionString = database.ConnectionString;
            });
        });

        return builder;
    }

    public static WebApplication MapShopSilo(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapShopHealth();
        app.MapShopMetrics();
        var dashboard = app.MapOrleansDashboard(routePrefix: "/dashboard");
        if (!app.Environment.IsDevelopment())
        {
            dashboard.RequireAuthorization(DashboardSignIn.Policy);
            app.MapShopDashboardSignIn();
        }

        return app;
    }

    /// <summary>
    /// Measured here: the defaults leave ~14 s of failed calls after a silo dies; these settings recover in ~1.6 s.
    /// </summary>
    private static void ConfigureFastFailureDetection(ISiloBuilder silo) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(5);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });

    private sealed class NotPersistedWarning(ILogger<NotPersistedWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            ShopDatabase.WarnNotPersisted(logger, "shop-silo");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
