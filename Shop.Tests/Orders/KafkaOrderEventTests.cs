using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Orders;

public sealed class KafkaOrderEventTests(ITestOutputHelper output)
{
    /// <summary>Bootstrap servers of a real broker for the one test that needs it, e.g. 127.0.0.1:9092.</summary>
    public const string BrokerVariable = "SHOP_TEST_KAFKA";

    private static KafkaOrderEventSink Sink(string servers, string topic, int timeoutMs) =>
        new(new KafkaOrderEventOptions(servers, topic, timeoutMs), NullLogger<KafkaOrderEventSink>.Instance);

    [Fact]
    public async Task An_unreachable_broker_fails_every_event_within_the_message_timeout()
    {
        using var sink = Sink($"127.0.0.1:{FreePorts.Next()}", "shop.order-events", timeoutMs: 1_500);
        var events = Enumerable.Range(0, 3).Select(i => OrderEventTests.Paid($"o{i}")).ToList();
        var clock = Stopwatch.StartNew();

        var errors = await sink.PublishAsync(events, default);

        output.WriteLine($"failed after {clock.ElapsedMilliseconds} ms: {string.Join(" | ", errors)}");
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task With_kafka_down_events_reach_the_log_stay_pending_and_are_published_once_it_is_back()
    {
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false, configure: c =>
        {
            c.Settings["Kafka:BootstrapServers"] = $"127.0.0.1:{FreePorts.Next()}";
            c.Settings["Kafka:MessageTimeoutMs"] = "1000";
        });
        var publisher = (OrderEventPublisher)cluster.Silos[0].App.Services.GetRequiredService<IOrderEventPublisher>();
        Assert.Equal(new[] { "postgresql", "kafka" }, publisher.SinkNames);
        var outbox = Outbox.Empty.Add(OrderEventTests.Paid("o1")).Add(OrderEventTests.Paid("o2"));
        var clock = Stopwatch.StartNew();

        var left = await publisher.PublishPendingAsync(outbox);
        output.WriteLine($"publish with Kafka down returned after {clock.ElapsedMilliseconds} ms");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Equal(outbox.Pending, left.Pending);
        var results = await publisher.PublishAsync(left.Pending);
        Assert.All(results, r => Assert.StartsWith("kafka: ", r.Error, StringComparison.Ordinal));
        var log = await cluster.Grains.GetGrain<IOrderEventQueryGrain>(0).ReadAsync(0, 10);
        Assert.Equal(outbox.Pending.Select(e => e.EventId), log.Events.Select(e => e.EventId));

        // Once every sink takes them (here the log alone; with a real broker see the test below), the outbox
        // empties and the log still holds each event once.
        var recovered = new OrderEventPublisher(
            [cluster.Silos[0].App.Services.GetRequiredService<PostgresOrderEventStore>()], NullLogger<OrderEventPublisher>.Instance);
        Assert.True((await recovered.PublishPendingAsync(left)).IsEmpty);
        Assert.Equal(2, (await cluster.Grains.GetGrain<IOrderEventQueryGrain>(0).ReadAsync(0, 10)).Events.Length);
    }

    [Fact]
    public async Task A_real_broker_receives_each_event_keyed_by_order_number()
    {
        var servers = Environment.GetEnvironmentVariable(BrokerVariable);
        if (string.IsNullOrWhiteSpace(servers))
        {
            output.WriteLine($"{BrokerVariable} is not set: no Kafka broker to publish to, nothing checked by this test.");
            return;
        }

        var topic = "shop-test-" + Guid.NewGuid().ToString("N")[..8];
        using var sink = Sink(servers, topic, timeoutMs: 30_000);
        var events = new[] { OrderEventTests.Paid("2026112700000000000000000001"), OrderEventTests.Paid("2026112700000000000000000002") };

        using var down = Sink($"127.0.0.1:{FreePorts.Next()}", topic, timeoutMs: 1_000);
        var outbox = Outbox.Empty.Add(events[0]).Add(events[1]);

        outbox = await new OrderEventPublisher([down], NullLogger<OrderEventPublisher>.Instance).PublishPendingAsync(outbox);
        Assert.Equal(2, outbox.Pending.Count);
        outbox = await new OrderEventPublisher([sink], NullLogger<OrderEventPublisher>.Instance).PublishPendingAsync(outbox);
        Assert.True(outbox.IsEmpty);

        // Published again, as after a crash between the publish and the state write: consumers see the same ids.
        Assert.All(await sink.PublishAsync(events, default), Assert.Null);

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = servers,
            GroupId = topic,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var received = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < 4 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is { } result)
            {
                received.Add(result);
            }
        }

        output.WriteLine($"received {received.Count} messages from {servers} topic {topic}");
        Assert.Equal(4, received.Count);
        var byId = received.GroupBy(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("event-id"))).ToList();
        Assert.Equal(events.Select(e => e.EventId.ToString()).Order(), byId.Select(g => g.Key).Order());
        foreach (var message in received.Select(r => r.Message))
        {
            using var json = JsonDocument.Parse(message.Value);
            Assert.Equal(message.Key, json.RootElement.GetProperty("orderNo").GetString());
            Assert.Equal("OrderPaid", json.RootElement.GetProperty("type").GetString());
            Assert.Equal(9_900, json.RootElement.GetProperty("payload").GetProperty("amountFen").GetInt64());
        }
    }
}
