using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Shop.Grains.Orders;

public static class OrdersRegistration
{
    /// <summary>The clock of order numbers and idempotency expiry; tests replace it with a fake one under this key.</summary>
    public const string ClockKey = "orders";

    /// <summary>
    /// Everything orders need in a silo: order numbers (leased worker id), personal-data encryption, the order event
    /// log and sinks. Reads and checks its settings now, so a missing key stops the silo before it starts.
    /// </summary>
    public static IServiceCollection AddShopOrders(this IServiceCollection services, string? connectionString, IConfiguration configuration)
    {
        var permutation = OrderNumberPermutation.FromConfiguration(configuration["Orders:NumberKey"]);
        var protector = PersonalDataProtector.FromConfiguration(configuration);
        var kafka = KafkaOrderEventOptions.FromConfiguration(configuration);

        services.TryAddKeyedSingleton(ClockKey, TimeProvider.System);
        services.AddSingleton(permutation);
        services.AddSingleton(protector);
        services.AddOptions<OrderNumberOptions>().Bind(configuration.GetSection("Orders:Numbers"));
        services.AddSingleton(sp => new OrderNumberGenerator(permutation, sp.GetRequiredKeyedService<TimeProvider>(ClockKey)));
        services.AddSingleton(sp => new OrderWorkerLeaseService(
            sp.GetRequiredService<OrderNumberGenerator>(),
            connectionString is null ? null : new PostgresWorkerLeases(connectionString),
            sp.GetRequiredService<ILocalSiloDetails>(),
            sp.GetRequiredService<IOptions<OrderNumberOptions>>(),
            sp.GetRequiredService<ILogger<OrderWorkerLeaseService>>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<OrderWorkerLeaseService>());

        if (connectionString is null)
        {
            services.AddSingleton<MemoryOrderEventStore>();
            services.AddSingleton<IOrderEventReader>(sp => sp.GetRequiredService<MemoryOrderEventStore>());
            services.AddSingleton<IOrderEventSink>(sp => sp.GetRequiredService<MemoryOrderEventStore>());
        }
        else
        {
            services.AddSingleton(new PostgresOrderEventStore(connectionString));
            services.AddSingleton<IOrderEventReader>(sp => sp.GetRequiredService<PostgresOrderEventStore>());
            services.AddSingleton<IOrderEventSink>(sp => sp.GetRequiredService<PostgresOrderEventStore>());
        }

        if (kafka is not null)
        {
            // After the log: a sink registered later receives only what the earlier ones took.
            services.AddSingleton(sp => new KafkaOrderEventSink(kafka, sp.GetRequiredService<ILogger<KafkaOrderEventSink>>()));
            services.AddSingleton<IOrderEventSink>(sp => sp.GetRequiredService<KafkaOrderEventSink>());
        }

        services.AddSingleton<IOrderEventPublisher, OrderEventPublisher>();
        services.AddOptions<OrderOptions>().Bind(configuration.GetSection("Orders"));
        if (connectionString is null)
        {
            services.AddSingleton<IOrderStore>(sp => new InMemoryOrderStore(sp.GetRequiredService<MemoryOrderEventStore>()));
            services.AddSingleton<IIdempotencyStore, InMemoryIdempotencyStore>();
        }
        else
        {
            var dataSource = Npgsql.NpgsqlDataSource.Create(WithFreshPlans(connectionString));
            services.AddSingleton<IOrderStore>(new PostgresOrderStore(dataSource));
            services.AddSingleton<IIdempotencyStore>(new PostgresIdempotencyStore(dataSource));
        }

        services.AddStartWhenActive("due-order sweep", g => g.GetGrain<IOrderDueSweepGrain>(IOrderDueSweepGrain.Key).StartAsync());
        services.AddSingleton(sp => new FreshOrderNumbers(TimeProvider.System));
        services.AddKeyedSingleton<IGrainStorage>(OrderGrainStorage.Name, (sp, _) =>
            new OrderGrainStorage(sp.GetRequiredService<IOrderStore>(), sp.GetRequiredService<FreshOrderNumbers>()));
        return services;
    }

    /// <summary>
    /// The order path's batched statements join an unnest of the batch to orders and order_idempotency. A prepared
    /// statement's generic plan is costed once, from the table as it was then: planned while the table was nearly
    /// empty (a new shop, or idempotency records purged overnight) it scans the whole table for every batch, and keeps
    /// doing so as a sale fills it, until autovacuum next analyzes the table (measured: 3.8 ms per idempotency update
    /// with 60,000 rows, against 0.05 ms by the key, halving the orders a second). A custom plan per execution is costed
    /// from the table as it is and the batch's real size, for about 0.07 ms of planning per statement (each carries a batch of orders).
    /// </summary>
    internal static string WithFreshPlans(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c plan_cache_mode=force_custom_plan".Trim();
        }

        return builder.ConnectionString;
    }
}