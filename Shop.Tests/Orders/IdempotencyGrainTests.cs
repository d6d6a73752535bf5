using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>Two silos on PostgreSQL shared by the tests that need no special settings (starting clusters is the slow part).</summary>
public sealed class IdempotencyCluster : IAsyncLifetime
{
    public ShopTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ShopTestCluster.StartAsync(silos: 2, withApi: false);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

public sealed class IdempotencyGrainTests(IdempotencyCluster shared) : IClassFixture<IdempotencyCluster>
{
    private static IIdempotencyGrain Key(ShopTestCluster cluster, string user = "u_1", string? key = null) =>
        cluster.Grains.GetGrain<IIdempotencyGrain>(IdempotencyKeys.GrainKey(user, key ?? Guid.NewGuid().ToString()));

    private static readonly IdempotentResponse Created = new(201, """{"orderNo":"x","status":"PendingPayment"}""");

    [Fact]
    public async Task A_repeat_gets_the_same_order_number_and_after_completion_the_same_response()
    {
        var grain = Key(shared.Cluster);

        var first = await grain.BeginAsync("hash-a");
        var again = await grain.BeginAsync("hash-a");
        var stored = await grain.CompleteAsync("hash-a", Created);
        var replay = await grain.BeginAsync("hash-a");

        Assert.Equal(IdempotencyOutcome.Proceed, first.Outcome);
        Assert.True(OrderNumber.IsValid(first.OrderNo));
        Assert.Equal(first with { }, again);
        Assert.Equal(Created, stored);
        Assert.Equal(new IdempotencyDecision(IdempotencyOutcome.Replay, first.OrderNo, Created), replay);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_before_and_after_completion()
    {
        var grain = Key(shared.Cluster);
        await grain.BeginAsync("hash-a");

        Assert.Equal(IdempotencyOutcome.KeyReused, (await grain.BeginAsync("hash-b")).Outcome);
        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.CompleteAsync("hash-b", Created));
        await grain.CompleteAsync("hash-a", Created);
        Assert.Equal(new IdempotencyDecision(IdempotencyOutcome.KeyReused, null, null), await grain.BeginAsync("hash-b"));
    }

    [Fact]
    public async Task Concurrent_duplicates_share_one_order_number_and_one_stored_response()
    {
        var cluster = shared.Cluster;
        var key = Guid.NewGuid().ToString();
        var grains = cluster.Silos.Select(s => s.App.Services.GetRequiredService<IGrainFactory>())
            .Select(f => f.GetGrain<IIdempotencyGrain>(IdempotencyKeys.GrainKey("u_1", key))).ToList();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => grains[i % 2].BeginAsync("hash-a")));
        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            grains[i % 2].CompleteAsync("hash-a", new IdempotentResponse(201, $$"""{"attempt":{{i}}}"""))));

        Assert.All(decisions, d => Assert.Equal(IdempotencyOutcome.Proceed, d.Outcome));
        Assert.Single(decisions.Select(d => d.OrderNo).Distinct());
        Assert.Single(responses.Distinct());
        Assert.Equal(responses[0], (await grains[1].BeginAsync("hash-a")).Response);
    }

    [Fact]
    public async Task Keys_are_per_user()
    {
        var cluster = shared.Cluster;

        var alice = await Key(cluster, "u_alice", "same-key").BeginAsync("hash-a");
        var bob = await Key(cluster, "u_bob", "same-key").BeginAsync("hash-b");

        Assert.Equal(IdempotencyOutcome.Proceed, bob.Outcome);
        Assert.NotEqual(alice.OrderNo, bob.OrderNo);
    }

    [Fact]
    public async Task A_key_is_remembered_across_a_silo_restart()
    {
        var connectionString = await TestDatabase.CreateAsync("idem");
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false, connectionString: connectionString);
        var key = Guid.NewGuid().ToString();
        var begun = await Key(cluster, key: key).BeginAsync("hash-a");
        await Key(cluster, key: key).CompleteAsync("hash-a", Created);

        await cluster.Silos[0].StopAsync();
        await cluster.StartSiloAsync();

        Assert.Equal(new IdempotencyDecision(IdempotencyOutcome.Replay, begun.OrderNo, Created), await Key(cluster, key: key).BeginAsync("hash-a"));
    }

    [Fact]
    public async Task After_24_hours_the_key_starts_a_new_order()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false, configure: c =>
            c.ConfigureSiloServices = s => s.AddKeyedSingleton<TimeProvider>(OrdersRegistration.ClockKey, clock));
        var grain = Key(cluster);
        var first = await grain.BeginAsync("hash-a");
        await grain.CompleteAsync("hash-a", Created);

        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(IdempotencyOutcome.Replay, (await grain.BeginAsync("hash-a")).Outcome);
        Assert.Equal(IdempotencyOutcome.KeyReused, (await grain.BeginAsync("hash-b")).Outcome);

        clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = await grain.BeginAsync("hash-b");
        Assert.Equal(IdempotencyOutcome.Proceed, fresh.Outcome);
        Assert.NotEqual(first.OrderNo, fresh.OrderNo);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_missing_request_hash_is_refused(string? hash) =>
        await Assert.ThrowsAsync<ArgumentException>(() => Key(shared.Cluster).BeginAsync(hash!));

    [Fact]
    public void The_request_hash_is_hex_sha256_and_fits_the_grain_limit()
    {
        var hash = IdempotencyKeys.RequestHash("""{"items":[{"skuId":"p_1","quantity":1}]}"""u8);

        Assert.Equal(64, hash.Length);
        Assert.True(hash.Length <= IdempotencyKeys.MaxHashLength);
        Assert.NotEqual(hash, IdempotencyKeys.RequestHash("""{"items":[{"skuId":"p_1","quantity":2}]}"""u8));
    }

    [Theory]
    [InlineData("3fa85f64-5717-4562-b3fc-2c963f66afa6", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("中文", false)]
    public void Keys_are_short_visible_ascii(string key, bool valid) => Assert.Equal(valid, IdempotencyKeys.IsValidKey(key));
}
