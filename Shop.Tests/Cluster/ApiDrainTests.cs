using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Cluster;

/// <summary>
/// The API process stopped with SIGTERM as an orchestrator stops it: readiness fails at once so the load balancer
/// stops routing, requests keep being served for <c>Api:DrainDelay</c>, a request under way when Kestrel stops
/// accepting is still answered, and the process exits promptly after that, with 0.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class ApiDrainTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SlowPrepay = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task SIGTERM_fails_readiness_at_once_serves_for_the_drain_delay_answers_what_is_under_way_and_exits_promptly()
    {
        await using var cluster = await ProcessCluster.StartAsync(silos: 1, new Dictionary<string, string>
        {
            ["Api__DrainDelay"] = DrainDelay.ToString("c"),
            ["Api__ShutdownTimeout"] = "00:00:10",
            // The slow prepay below must not run out of the shopper's budget.
            ["WeChatPay__ShopperTimeBudget"] = "00:00:15",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__Shop.Api.Hosting"] = "Information",
        });
        try
        {
            var product = (await SaleChecks.SeedAsync(cluster, 10))[0];
            using var shopper = cluster.CreateClient(TestTokens.Customer("wx:oDrain" + Guid.NewGuid().ToString("N")[..16]));
            var orderNo = await CreateOrderAsync(shopper, product);
            using (var simulator = new HttpClient { BaseAddress = cluster.Merchant.Address })
            {
                using var armed = await simulator.PostAsJsonAsync("/simulator/faults",
                    new { path_prefix = "/v3/pay/transactions/jsapi", method = "POST", count = 1, delay_ms = (int)SlowPrepay.TotalMilliseconds });
                Assert.Equal(HttpStatusCode.NoContent, armed.StatusCode);
            }

            // Under way when the API is told to stop, and still when Kestrel stops accepting after the drain delay.
            var slow = shopper.PostAsync($"/api/orders/{orderNo}/payments/wechat-jsapi", null);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(slow.IsCompleted, "the prepay WeChat Pay was made to hang for is already answered");

            var clock = Stopwatch.StartNew();
            await cluster.Api.SignalTerminateAsync();
            using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = cluster.ApiAddress };
            var notReady = await Poll.UntilAsync(async () => (await fresh.GetAsync("/health/ready")).StatusCode,
                status => status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1), what: "readiness to fail after SIGTERM");
            var unreadyAfter = clock.Elapsed;

            // Still serving real requests, on new connections, well inside the drain delay.
            using var product1 = await fresh.GetAsync($"/api/products/{product}");
            var servedAt = clock.Elapsed;
            Assert.Equal(HttpStatusCode.OK, product1.StatusCode);
            Assert.True(servedAt < DrainDelay, $"the check ran at {servedAt.TotalSeconds:N1} s, after the drain delay");

            using var prepay = await slow;
            var prepaidAt = clock.Elapsed;
            Assert.Equal(HttpStatusCode.OK, prepay.StatusCode);
            var exitCode = await cluster.Api.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var exitedAt = clock.Elapsed;
            output.WriteLine($"after SIGTERM: readiness 503 at {unreadyAfter.TotalSeconds:N2} s, a product served at {servedAt.TotalSeconds:N2} s, " +
                $"the prepay under way answered at {prepaidAt.TotalSeconds:N2} s, exited ({exitCode}) at {exitedAt.TotalSeconds:N2} s");

            Assert.Equal(0, exitCode);
            Assert.True(prepaidAt > DrainDelay, "the slow prepay was answered before Kestrel stopped accepting: the in-flight case was not tested");
            // The drain delay, the rest of the prepay, then the Orleans client's goodbye: a few seconds, not the shutdown timeout.
            Assert.True(exitedAt < prepaidAt + TimeSpan.FromSeconds(4), $"exited {(exitedAt - prepaidAt).TotalSeconds:N1} s after its last answer");
            await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/health/live"));
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            throw;
        }
    }

    private static async Task<string> CreateOrderAsync(HttpClient shopper, string product)
    {
        var body = new CreateOrderRequest([new OrderItemRequest(product, 1)],
            new ShippingAddressRequest("张三", "13812345678", "浙江省", "杭州市", "西湖区", "文三路 100 号"), null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body, options: ShopJson.CreateOptions()) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var answer = await shopper.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return (await answer.Content.ReadFromJsonAsync<OrderResponse>(ShopJson.CreateOptions()))!.OrderNo;
    }
}
