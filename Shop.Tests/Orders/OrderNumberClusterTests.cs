using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

public sealed class OrderNumberClusterTests
{
    private static OrderNumberGenerator GeneratorOf(SiloHandle silo) => silo.App.Services.GetRequiredService<OrderNumberGenerator>();

    private static Task<string[]> GenerateAsync(OrderNumberGenerator generator, int tasks, int perTask) =>
        Task.WhenAll(Enumerable.Range(0, tasks).Select(_ => Task.Run(() =>
            Enumerable.Range(0, perTask).Select(_ => generator.Next()).ToArray())))
            .ContinueWith(t => t.Result.SelectMany(x => x).ToArray(), TaskScheduler.Default);

    [Fact]
    public async Task Two_silos_with_eight_tasks_each_issue_80000_distinct_numbers_under_distinct_worker_ids()
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: 2, withApi: false);
        var generators = cluster.Silos.Select(GeneratorOf).ToList();

        var numbers = (await Task.WhenAll(generators.Select(g => GenerateAsync(g, tasks: 8, perTask: 5_000)))).SelectMany(x => x).ToList();

        Assert.Equal(80_000, numbers.Count);
        Assert.Equal(80_000, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.True(OrderNumber.IsValid(n), n));
        Assert.Equal(2, generators.Select(g => g.WorkerId).Distinct().Count());
        Assert.Equal(2, await ScalarAsync(cluster.ConnectionString!, "SELECT count(*) FROM order_worker_leases WHERE silo <> '' AND leased_until > now()"));
    }

    [Fact]
    public async Task A_restart_on_the_same_worker_id_with_the_clock_an_hour_behind_repeats_no_number()
    {
        var connectionString = await TestDatabase.CreateAsync("orders");
        await using var cluster = await ShopTestCluster.StartAsync(silos: 1, withApi: false, connectionString: connectionString);
        var first = GeneratorOf(cluster.Silos[0]);
        var workerId = first.WorkerId!.Value;
        var before = await GenerateAsync(first, tasks: 4, perTask: 5_000);
        await cluster.Silos[0].StopAsync();
        Assert.Equal(0, await ScalarAsync(connectionString, $"SELECT count(*) FROM order_worker_leases WHERE worker_id = {workerId} AND silo <> ''"));

        // Leave the restarted silo no choice but the same worker id, and set its clock an hour back.
        await ExecuteAsync(connectionString,
            $"UPDATE order_worker_leases SET silo = 'someone-else', leased_until = now() + interval '1 hour' WHERE worker_id <> {workerId}");
        cluster.ConfigureSiloServices = s => s.AddKeyedSingleton<TimeProvider>(OrdersRegistration.ClockKey, new ShiftedClock(TimeSpan.FromHours(-1)));
        var restarted = GeneratorOf(await cluster.StartSiloAsync());
        var after = await GenerateAsync(restarted, tasks: 4, perTask: 5_000);

        Assert.Equal(workerId, restarted.WorkerId);
        Assert.Equal(40_000, before.Concat(after).Distinct().Count());
    }

    [Fact]
    public async Task A_silo_that_crashed_without_releasing_fences_the_next_owner_of_its_worker_id()
    {
        var connectionString = await TestDatabase.CreateAsync("orders");
        await using var cluster = await ShopTestCluster.StartAsync(silos: 1, withApi: false, connectionString: connectionString);
        var leases = new PostgresWorkerLeases(connectionString);
        var window = 120_000L;
        var tomorrow = Snowflake.ToTimestamp(DateTimeOffset.UtcNow.AddDays(1));

        // "Crashed": holds worker w with a reservation far ahead, then stops renewing without releasing.
        var crashed = await leases.ClaimAsync("crashed-silo", TimeSpan.FromMinutes(1), tomorrow, window, CancellationToken.None);
        Assert.NotNull(crashed);
        await ExecuteAsync(connectionString, $"""
            UPDATE order_worker_leases SET leased_until = now() - interval '1 second' WHERE worker_id = {crashed.WorkerId};
            UPDATE order_worker_leases SET silo = 'someone-else', leased_until = now() + interval '1 hour'
            WHERE worker_id <> {crashed.WorkerId} AND silo = '';
            """);

        var successor = await leases.ClaimAsync("successor", TimeSpan.FromMinutes(1), 5, window, CancellationToken.None);

        Assert.NotNull(successor);
        Assert.Equal(crashed.WorkerId, successor.WorkerId);
        Assert.Equal(crashed.ReservedUntil, successor.Floor);
        Assert.Null(await leases.RenewAsync(crashed.WorkerId, "crashed-silo", TimeSpan.FromMinutes(1), tomorrow + 1, CancellationToken.None));
        var permutation = cluster.Silos[0].App.Services.GetRequiredService<OrderNumberPermutation>();
        var generator = new OrderNumberGenerator(permutation, TimeProvider.System);
        generator.Assign(successor.WorkerId, successor.Floor, successor.ReservedUntil);
        var (timestamp, worker, _) = Snowflake.Decompose(permutation.Invert(OrderNumber.Suffix(generator.Next())));
        Assert.Equal(crashed.WorkerId, worker);
        Assert.True(timestamp > crashed.ReservedUntil, "the successor runs ahead of its own clock, above what the crashed silo may have used");
    }

    [Fact]
    public async Task Silos_claiming_at_the_same_moment_get_distinct_worker_ids()
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: 1, withApi: false);
        var leases = new PostgresWorkerLeases(cluster.ConnectionString!);

        var claims = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            leases.ClaimAsync($"silo-{i}", TimeSpan.FromMinutes(1), 0, 1_000, CancellationToken.None)));

        Assert.All(claims, Assert.NotNull);
        Assert.Equal(32, claims.Select(c => c!.WorkerId).Distinct().Count());
        Assert.DoesNotContain(GeneratorOf(cluster.Silos[0]).WorkerId, claims.Select(c => (int?)c!.WorkerId));
    }

    [Fact]
    public async Task The_embedded_mode_uses_the_fixed_worker_id()
    {
        await using var cluster = await ShopTestCluster.StartAsync(silos: 1, withApi: false, embedded: true);
        var generator = GeneratorOf(cluster.Silos[0]);

        Assert.True(OrderNumber.IsValid(generator.Next()));
        Assert.Equal(OrderWorkerLeaseService.EmbeddedWorkerId, generator.WorkerId);
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
