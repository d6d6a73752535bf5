using Shop.Grains.AfterSales;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Dashboard;
using Shop.Grains.Audit;
using Shop.Grains.Campaigns;
using Shop.Grains.Inventory;
using Shop.Grains.Catalog;
using Shop.Grains.Fulfilment;
using Shop.Grains.Orders;
using Shop.Grains.Observability;
using Shop.Grains.Payments.Reconciliation;
using Shop.Grains.Payments.WeChatPay;
using Shop.Grains.Shipping;
using Shop.Grains.PersonalData.Erasure;
using Shop.Grains.Storage;
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

        // A silo opens four pools: plain connections (Orleans' providers, the event log, health) and the catalog's,
        // inventory's and orders' data sources.
        var database = ShopDatabase.FromConfiguration(builder.Configuration)?.SplitAcross(pools: 4, "shop-silo");
        var cluster = ShopClusterOptions.FromConfiguration(builder.Configuration);
        var tls = ShopClusterTls.FromConfiguration(builder.Configuration);

        builder.AddShopObservability("shop-silo");
        builder.Services.AddShopHealthChecks(database).AddCheck<SiloReadyHealthCheck>("silo", tags: [ShopHealth.ReadyTag]);
        builder.Services.AddShopAuthentication(ShopAuthOptions.FromConfiguration(builder.Configuration));
        builder.Services.AddShopDashboardSignIn(builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = cluster.ShutdownTimeout);
        builder.Services.AddShopInventory(database?.ConnectionString).ConfigureShopInventory(builder.Configuration);
        builder.Services.AddShopCatalog(database?.ConnectionString);
        builder.Services.AddShopOrders(database?.ConnectionString, builder.Configuration);
        builder.Services.AddShopCampaigns(database?.ConnectionString, builder.Configuration);
        builder.Services.AddShopPayments(builder.Configuration);
        builder.Services.AddShopReconciliation(database?.ConnectionString, builder.Configuration);
        builder.Services.AddShopAfterSales(database?.ConnectionString, builder.Configuration);
        builder.Services.AddShopShipping(builder.Configuration);
        Shop.Grains.PersonalData.PersonalDataRegistration.AddShopPersonalData(builder.Services, database?.ConnectionString);
        builder.Services.AddShopPrivacy(database?.ConnectionString, builder.Configuration);

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
        builder.Services.AddShopStockAuditSchedule(builder.Configuration).AddHostedService<DesiredSilosMetric>();
        builder.Services.AddShopFulfilment(database?.ConnectionString, builder.Configuration);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.AddActivityPropagation();
            silo.Services.AddCachedGrainInterfaceTypes();
            silo.AddIncomingGrainCallFilter<InfrastructureFailureFilter>();
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = cluster.CollectionAge);
            silo.UseSystemTextJsonGrainStorageSerializer();
            silo.Services.AddSerializer(s => s.AddGrainStateJsonCodecs());
            silo.AddDashboard();
            // The dashboard samples every observable counter at this pace; some (activation and directory-cache
            // counts) walk every activation, so once a second costs the order path a few percent at 100k activations.
            silo.Services.Configure<DashboardOptions>(o => o.CounterUpdateIntervalMs = 5_000);
            silo.Services.Configure<DashboardOptions>(builder.Configuration.GetSection("Dashboard"));
            ConfigureFailureDetection(silo, cluster.Membership);
            silo.UseShopKubernetesHosting(builder.Configuration);

            if (database is null)
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
                silo.AddMemoryGrainStorageAsDefault();
                silo.UseInMemoryReminderService();
                return;
            }

            silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: cluster.ListenOnAnyHostAddress);
            if (tls is not null)
            {
                silo.UseTls(tls.Certificate, tls.Configure);
            }

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
        InfrastructureTranslatingStorage.WrapAll(builder.Services);

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
    /// Orleans' defaults leave ~14 s of failed calls after a silo dies; ours declare it dead in a few seconds (measured
    /// in the README) while still needing two votes, so one paused silo cannot evict a healthy one.
    /// </summary>
    private static void ConfigureFailureDetection(ISiloBuilder silo, ShopMembershipOptions membership) =>
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = membership.ProbeTimeout;
            o.NumMissedProbesLimit = membership.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = membership.NumVotesForDeathDeclaration;
            o.NumProbedSilos = membership.NumProbedSilos;
            o.TableRefreshTimeout = membership.TableRefreshTimeout;
            o.IAmAliveTablePublishTimeout = membership.IAmAliveTablePublishTimeout;
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
