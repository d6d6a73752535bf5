using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

public sealed class OrderEventTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    internal static OrderEventEnvelope Paid(string orderNo, long amount = 9_900)
    {
        var (id, at) = OrderEvent.Stamp(Clock);
        return new OrderPaid(id, orderNo, at, amount, "4200000001").ToEnvelope();
    }

    private static async Task<string> MigratedDatabaseAsync()
    {
        var connectionString = await TestDatabase.CreateAsync("events");
        await new SchemaMigrator(connectionString, SchemaMigrator.DefaultScriptDirectory, NullLogger.Instance).MigrateAsync();
        return connectionString;
    }

    [Fact]
    public void An_envelope_carries_a_version_7_id_the_type_and_the_payload_as_camel_case_json()
    {
        var (id, at) = OrderEvent.Stamp(Clock);
        var envelope = new OrderCreated(id, "2026112700000000000000000001", at, "u_1", 19_800,
            [new OrderEventLine("p_sku", 2, 9_900)]).ToEnvelope();

        Assert.Equal(7, envelope.EventId.Version);
        Assert.Equal("OrderCreated", envelope.Type);
        using var payload = JsonDocument.Parse(envelope.Payload);
        Assert.Equal(19_800, payload.RootElement.GetProperty("totalFen").GetInt64());
        Assert.Equal("p_sku", payload.RootElement.GetProperty("lines")[0].GetProperty("skuId").GetString());
        Assert.Equal(at, payload.RootElement.GetProperty("occurredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Publishing_the_same_events_twice_stores_them_once_in_postgresql()
    {
        var store = new PostgresOrderEventStore(await MigratedDatabaseAsync());
        var events = new[] { Paid("o1"), Paid("o2"), Paid("o3") };

        Assert.All(await store.PublishAsync(events, default), Assert.Null);
        Assert.All(await store.PublishAsync([events[1], events[0], Paid("o4")], default), Assert.Null);

        var page = await store.ReadAsync(0, 100, default);
        Assert.Equal(new[] { "o1", "o2", "o3", "o4" }, page.Events.Select(e => e.OrderNo));
        Assert.Equal(events[0].EventId, page.Events[0].EventId);
        Assert.Equal(events[0].OccurredAt, page.Events[0].OccurredAt);
        Assert.Equal(JsonDocument.Parse(events[0].Payload).RootElement.GetProperty("amountFen").GetInt64(),
            JsonDocument.Parse(page.Events[0].Payload).RootElement.GetProperty("amountFen").GetInt64());
    }

    [Fact]
    public async Task Concurrent_publishers_never_let_a_reader_skip_an_event()
    {
        var store = new PostgresOrderEventStore(await MigratedDatabaseAsync());
        var writers = Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await store.PublishAsync([Paid($"w{w}-{i}")], default);
            }
        })));

        var seen = await ReadWhileWritingAsync(store, writers);
        Assert.Equal(200, seen.Count);
        Assert.Equal(200, seen.Select(e => e.EventId).Distinct().Count());
    }

    /// <summary>
    /// Pages through the log by seq, 7 at a time, while <paramref name="writers"/> append, as a consumer would: a skipped
    /// event is missing from the result. Ends on an empty page read after the writers were done (a writer finishing
    /// between a read and the check would otherwise look like a skipped event).
    /// </summary>
    internal static async Task<List<StoredOrderEvent>> ReadWhileWritingAsync(IOrderEventReader log, Task writers)
    {
        var seen = new List<StoredOrderEvent>();
        long after = 0;
        while (true)
        {
            var done = writers.IsCompleted;
            var page = await log.ReadAsync(after, 7, default);
            seen.AddRange(page.Events);
            after = page.Next;
            if (done && page.Events.IsEmpty)
            {
                await writers;
                return seen;
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_event_log_pages_through_the_query_grain_in_both_modes(bool embedded)
    {
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false, embedded: embedded);
        var publisher = cluster.Silos[0].App.Services.GetRequiredService<IOrderEventPublisher>();
        var events = Enumerable.Range(0, 25).Select(i => Paid($"order-{i:00}")).ToList();
        Assert.All(await publisher.PublishAsync(events), r => Assert.True(r.Published, r.Error));
        Assert.All(await publisher.PublishAsync(events.Take(5).ToList()), r => Assert.True(r.Published, r.Error));
        var query = cluster.Grains.GetGrain<IOrderEventQueryGrain>(0);

        var pages = new List<OrderEventPage>();
        long after = 0;
        do
        {
            pages.Add(await query.ReadAsync(after, 10));
            after = pages[^1].Next;
        }
        while (!pages[^1].Events.IsEmpty);

        Assert.Equal(new[] { 10, 10, 5, 0 }, pages.Select(p => p.Events.Length));
        Assert.Equal(events.Select(e => e.EventId), pages.SelectMany(p => p.Events).Select(e => e.EventId));
        Assert.Equal(pages[2].Next, pages[3].Next);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => query.ReadAsync(0, OrderEventQuery.MaxLimit + 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => query.ReadAsync(-1, 10));
    }

    [Fact]
    public void The_outbox_survives_the_grain_storage_serializer_and_ignores_duplicates()
    {
        var a = Paid("o1");
        var outbox = Outbox.Empty.Add(a).Add(Paid("o2")).Add(a);

        var copy = JsonSerializer.Deserialize<Outbox>(JsonSerializer.Serialize(outbox))!;

        Assert.Equal(outbox.Pending, copy.Pending);
        Assert.Equal(2, copy.Pending.Count);
        Assert.Equal(new[] { "o2" }, copy.Remove([a.EventId]).Pending.Select(e => e.OrderNo));
        Assert.Same(copy, copy.Remove([Guid.NewGuid()]));
    }
}
