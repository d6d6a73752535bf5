using System.Diagnostics;
using System.Net;
using Npgsql;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Orders.Flow;

public sealed class OrderIdempotencyAndPrivacyTests(OrderClusterFixture fixture, ITestOutputHelper output) : IClassFixture<OrderClusterFixture>
{
    private ShopTestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task The_same_key_replays_the_same_answer_concurrent_duplicates_create_one_order_and_another_body_is_422()
    {
        var p = await Cluster.ProductAsync(100);
        var customer = Cluster.Orders(TestTokens.Customer("idem"));
        var http = Cluster.CreateClient(TestTokens.Customer("idem"));
        var key = NewKey();

        var first = await customer.CreateOrderAsync(Request((p.Id, 2)), key);
        var repeat = await customer.CreateOrderAsync(Request((p.Id, 2)), key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(first.StatusCode, repeat.StatusCode);
        Assert.Equal(first.Content, repeat.Content, new OrderJsonComparer());
        Problem(await customer.CreateOrderAsync(Request((p.Id, 3)), key), (HttpStatusCode)422, ShopErrorCodes.IdempotencyKeyReused);

        var concurrentKey = NewKey();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => customer.CreateOrderAsync(Request((p.Id, 5)), concurrentKey)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Single(answers.Select(a => a.Content!.OrderNo).Distinct());
        var levels = await Cluster.StockAsync(p.Id);
        Assert.Equal((93L, 7L), (levels.Available, levels.Reserved));
        Assert.Equal(2, Ok(await customer.ListOrdersAsync()).Items.Count);
        http.Dispose();
    }

    [Fact]
    public async Task A_repeat_gets_the_first_answer_byte_for_byte_a_refusal_with_the_first_trace_id()
    {
        var p = await Cluster.ProductAsync(3);
        using var http = Cluster.CreateClient(TestTokens.Customer("bytes"));

        async Task<(HttpStatusCode Status, string Body)> PostAsync(int quantity, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Content = System.Net.Http.Json.JsonContent.Create(Request((p.Id, quantity))),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var createdKey = NewKey();
        var created = await PostAsync(2, createdKey);
        var refusedKey = NewKey();
        var refused = await PostAsync(5, refusedKey);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("\"code\":\"out_of_stock\"", refused.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("traceId", refused.Body);
        Assert.Equal(created, await PostAsync(2, createdKey));
        Assert.Equal(refused, await PostAsync(5, refusedKey));
        Assert.Equal((1L, 2L), ((await Cluster.StockAsync(p.Id)).Available, (await Cluster.StockAsync(p.Id)).Reserved));
    }

    [Fact]
    public async Task The_phone_number_and_the_remark_are_nowhere_in_plaintext_in_postgresql()
    {
        var p = await Cluster.ProductAsync(10);
        var request = Request((p.Id, 1));
        var order = await Cluster.Orders(TestTokens.Customer("pii")).CreateAsync(request);
        Assert.Equal(Phone, order.ShippingAddress.Phone);
        Assert.Equal(request.Remark, order.Remark);
        Assert.Equal(request.Remark, Ok(await Cluster.Orders(TestTokens.Customer("pii")).GetOrderAsync(order.OrderNo)).Remark);
        await Poll.UntilAsync(() => OrderFlowTests.EventsOfAsync(Cluster, order.OrderNo), e => e.Count >= 1, what: "created event");

        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
                 {
                     "SELECT count(*) FROM orders WHERE state::text LIKE @p OR user_id LIKE @p",
                     "SELECT count(*) FROM order_events WHERE payload::text LIKE @p",
                     "SELECT count(*) FROM orleansstorage WHERE coalesce(encode(payloadbinary, 'escape'), '') LIKE @p",
                     "SELECT count(*) FROM order_idempotency WHERE coalesce(body, '') || coalesce(outcome, '') LIKE @p",
                 })
        {
            foreach (var secret in new[] { Phone, request.Remark! })
            {
                await using var command = new NpgsqlCommand(sql, connection);
                command.Parameters.AddWithValue("p", "%" + secret + "%");
                Assert.True(0L == (long)(await command.ExecuteScalarAsync())!, $"'{secret}' found by: {sql}");
            }
        }

        await using var answers = new NpgsqlCommand("SELECT count(*) FROM order_idempotency WHERE order_no = @no AND outcome LIKE '~test:%'", connection);
        answers.Parameters.AddWithValue("no", order.OrderNo);
        Assert.Equal(1L, (long)(await answers.ExecuteScalarAsync())!);

        await using var rows = new NpgsqlCommand("SELECT count(*) FROM orders WHERE order_no = @no AND state::text LIKE '%test:%'", connection);
        rows.Parameters.AddWithValue("no", order.OrderNo);
        Assert.Equal(1L, (long)(await rows.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Order_numbers_stay_unique_across_two_silos_and_create_throughput_is_measured()
    {
        Assert.Equal(2, Cluster.Silos.Count(s => s.IsRunning));
        var products = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            products.Add((await Cluster.ProductAsync(1_000_000)).Id);
        }

        const int total = 2_000;
        const int callers = 64;
        var numbers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var clients = Enumerable.Range(0, callers).Select(c => Cluster.Orders(TestTokens.Customer($"load-{c}"))).ToArray();
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (client, c) =>
        {
            while (Interlocked.Increment(ref next) < total)
            {
                var response = await client.CreateOrderAsync(Request((products[(c + next) % 10], 1), (products[(c + next + 3) % 10], 2)), NewKey());
                numbers.Add(Ok(response, HttpStatusCode.Created).OrderNo);
            }
        }));
        stopwatch.Stop();

        Assert.Equal(total, numbers.Count);
        Assert.Equal(total, numbers.Distinct().Count());
        output.WriteLine($"create-order over HTTP: {total} orders, {callers} callers, {stopwatch.Elapsed.TotalSeconds:F1} s = {total / stopwatch.Elapsed.TotalSeconds:F0} orders/s");
    }

    private sealed class OrderJsonComparer : IEqualityComparer<OrderResponse?>
    {
        public bool Equals(OrderResponse? x, OrderResponse? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(OrderResponse? obj) => 0;
    }
}
