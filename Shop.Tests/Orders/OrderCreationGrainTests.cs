using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.Orders;

/// <summary>Two silos on PostgreSQL and the API (to seed products), shared by the tests that need no special settings.</summary>
public sealed class IdempotencyCluster : IAsyncLifetime
{
    public ShopTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await ShopTestCluster.StartAsync(silos: 2);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>One call creates the order and stores its outcome under the key; every repeat gets that outcome.</summary>
public sealed class OrderCreationGrainTests(IdempotencyCluster shared) : IClassFixture<IdempotencyCluster>
{
    private static KeyedCreation Key(ShopTestCluster cluster, string user = "u_1", string? key = null) =>
        new(cluster.Grains, IdempotencyKeys.GrainKey(user, key ?? Guid.NewGuid().ToString()));

    private static CreateOrderCommand Command(string productId, int quantity = 1, string user = "u_1") => new(
        user, [new OrderItem(productId, quantity)], new ShippingAddress("张三", OrderTestSupport.Phone, "浙江省", "杭州市", "西湖区", "文三路 100 号"), null);

    [Fact]
    public async Task A_repeat_gets_the_first_answer_and_the_stock_is_reserved_once()
    {
        var product = await shared.Cluster.ProductAsync(stock: 10);
        var grain = Key(shared.Cluster);

        var first = await grain.CreateOrderAsync("hash-a", Command(product.Id, 2), "trace-1");
        var again = await grain.CreateOrderAsync("hash-a", Command(product.Id, 2), "trace-2");

        Assert.Equal(IdempotencyOutcome.Answered, first.Outcome);
        Assert.True(OrderNumber.IsValid(first.OrderNo));
        Assert.Equal(OrderOutcomeStatus.Ok, first.Answer!.Outcome!.Status);
        Assert.Equal(first.OrderNo, first.Answer.Outcome.Order!.OrderNo);
        AssertSameAnswer(first, again);
        Assert.Equal(2, (await shared.Cluster.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused_and_the_first_answer_stays()
    {
        var product = await shared.Cluster.ProductAsync(stock: 10);
        var grain = Key(shared.Cluster);
        var first = await grain.CreateOrderAsync("hash-a", Command(product.Id), null);

        Assert.Equal(IdempotentOrder.KeyReused, await grain.CreateOrderAsync("hash-b", Command(product.Id, 3), null));
        AssertSameAnswer(first, await grain.CreateOrderAsync("hash-a", Command(product.Id), null));
        Assert.Equal(1, (await shared.Cluster.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task A_refusal_is_stored_with_the_trace_id_of_the_request_that_got_it()
    {
        var product = await shared.Cluster.ProductAsync(stock: 1);
        var grain = Key(shared.Cluster);

        var refused = await grain.CreateOrderAsync("hash-a", Command(product.Id, 5), "trace-first");
        await shared.Cluster.Grains.GetGrain<Shop.Grains.Interfaces.Inventory.IInventoryGrain>(product.Id).AdjustAsync(10, "restock", "tests");
        var replay = await grain.CreateOrderAsync("hash-a", Command(product.Id, 5), "trace-replay");

        Assert.Equal(OrderOutcomeStatus.OutOfStock, refused.Answer!.Outcome!.Status);
        Assert.Equal("trace-first", refused.Answer.TraceId);
        AssertSameAnswer(refused, replay);
        Assert.Equal(0, (await shared.Cluster.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task Concurrent_duplicates_on_two_silos_create_one_order_and_share_one_answer()
    {
        var cluster = shared.Cluster;
        var product = await cluster.ProductAsync(stock: 100);
        var key = Guid.NewGuid().ToString();
        var grains = cluster.Silos.Select(s => new KeyedCreation(s.App.Services.GetRequiredService<IGrainFactory>(), IdempotencyKeys.GrainKey("u_1", key))).ToList();

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => grains[i % 2].CreateOrderAsync("hash-a", Command(product.Id, 3), $"trace-{i}")));

        Assert.All(answers, a => AssertSameAnswer(answers[0], a));
        Assert.Equal(3, (await cluster.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task Keys_are_per_user()
    {
        var product = await shared.Cluster.ProductAsync(stock: 10);

        var alice = await Key(shared.Cluster, "u_alice", "same-key").CreateOrderAsync("hash-a", Command(product.Id, user: "u_alice"), null);
        var bob = await Key(shared.Cluster, "u_bob", "same-key").CreateOrderAsync("hash-b", Command(product.Id, user: "u_bob"), null);

        Assert.Equal(IdempotencyOutcome.Answered, bob.Outcome);
        Assert.NotEqual(alice.OrderNo, bob.OrderNo);
        Assert.Equal(2, (await shared.Cluster.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task A_key_answered_before_outcomes_were_stored_replays_its_stored_response()
    {
        var cluster = shared.Cluster;
        var product = await cluster.ProductAsync(stock: 10);
        var key = IdempotencyKeys.GrainKey("u_1", Guid.NewGuid().ToString());
        const string body = """{"orderNo":"stored-by-the-previous-version"}""";
        var protector = cluster.Silos[0].App.Services.GetRequiredService<PersonalDataProtector>();
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO order_idempotency (grain_key, request_hash, order_no, created_at, status_code, body) VALUES (@k, 'hash-a', @n, now(), 201, @b)",
                connection);
            insert.Parameters.AddWithValue("k", key);
            insert.Parameters.AddWithValue("n", OrderNumber.Format(DateTimeOffset.UtcNow, 123_456));
            insert.Parameters.AddWithValue("b", protector.Protect(body, $"idempotency:{key}"));
            await insert.ExecuteNonQueryAsync();
        }

        var replay = await new KeyedCreation(cluster.Grains, key).CreateOrderAsync("hash-a", Command(product.Id), null);

        Assert.Equal(new IdempotentResponse(201, body), replay.Answer!.Response);
        Assert.Null(replay.Answer.Outcome);
        Assert.Equal(0, (await cluster.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task A_key_is_remembered_across_a_silo_restart()
    {
        var connectionString = await TestDatabase.CreateAsync("idem");
        await using var cluster = await ShopTestCluster.StartAsync(connectionString: connectionString);
        var product = await cluster.ProductAsync(stock: 10);
        var key = Guid.NewGuid().ToString();
        var first = await Key(cluster, key: key).CreateOrderAsync("hash-a", Command(product.Id), "trace-1");

        await cluster.Silos[0].StopAsync();
        await cluster.StartSiloAsync();

        AssertSameAnswer(first, await Key(cluster, key: key).CreateOrderAsync("hash-a", Command(product.Id), "trace-2"));
        Assert.Equal(1, (await cluster.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task After_24_hours_the_key_starts_a_new_order()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var cluster = await ShopTestCluster.StartAsync(configure: c =>
            c.ConfigureSiloServices = s => s.AddKeyedSingleton<TimeProvider>(OrdersRegistration.ClockKey, clock));
        var product = await cluster.ProductAsync(stock: 10);
        var grain = Key(cluster);
        var first = await grain.CreateOrderAsync("hash-a", Command(product.Id), null);

        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        AssertSameAnswer(first, await grain.CreateOrderAsync("hash-a", Command(product.Id), null));
        Assert.Equal(IdempotencyOutcome.KeyReused, (await grain.CreateOrderAsync("hash-b", Command(product.Id), null)).Outcome);

        clock.Advance(TimeSpan.FromSeconds(1));
        var fresh = await grain.CreateOrderAsync("hash-b", Command(product.Id), null);
        Assert.Equal(IdempotencyOutcome.Answered, fresh.Outcome);
        Assert.NotEqual(first.OrderNo, fresh.OrderNo);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_missing_request_hash_is_refused(string? hash) =>
        await Assert.ThrowsAsync<ArgumentException>(() => Key(shared.Cluster).CreateOrderAsync(hash!, Command("p_1"), null));

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

    /// <summary>The creation grain called (from <paramref name="Grains"/>'s side) under one scoped key.</summary>
    private sealed record KeyedCreation(IGrainFactory Grains, string ScopedKey)
    {
        public Task<IdempotentOrder> CreateOrderAsync(string hash, CreateOrderCommand command, string? traceId) =>
            Grains.GetGrain<IOrderCreationGrain>(0).CreateOrderAsync(ScopedKey, hash, command, traceId);
    }

    /// <summary>Equal answers: records compare lists by reference, so compare what the API formats.</summary>
    private static void AssertSameAnswer(IdempotentOrder expected, IdempotentOrder actual)
    {
        Assert.Equal(IdempotencyOutcome.Answered, actual.Outcome);
        Assert.Equal(expected.OrderNo, actual.OrderNo);
        Assert.Equal(expected.Answer!.TraceId, actual.Answer!.TraceId);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected.Answer.Outcome), System.Text.Json.JsonSerializer.Serialize(actual.Answer.Outcome));
    }
}
