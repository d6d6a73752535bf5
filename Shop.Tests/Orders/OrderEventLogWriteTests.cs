using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;
using Shop.Tests.PersonalData;

namespace Shop.Tests.Orders;

/// <summary>
/// The orders store appends a change's events to the order event log in the change's own transaction: an event is in
/// the log exactly when the row change it describes is stored, and readers paging by seq still never skip one.
/// </summary>
public sealed class OrderEventLogWriteTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static async Task<string> MigratedDatabaseAsync()
    {
        var connectionString = await TestDatabase.CreateAsync("eventlog");
        await new SchemaMigrator(connectionString, SchemaMigrator.DefaultScriptDirectory, NullLogger.Instance).MigrateAsync();
        return connectionString;
    }

    private static OrderRow Row(string orderNo, params OrderEventEnvelope[] events) =>
        new OrderRow(orderNo, "u1", "PendingPayment", 100, T0, T0, null, $$"""{"orderNo":"{{orderNo}}"}""") { Events = events };

    private static async Task<List<StoredOrderEvent>> AllAsync(IOrderEventReader log)
    {
        var all = new List<StoredOrderEvent>();
        long after = 0;
        while (true)
        {
            var page = await log.ReadAsync(after, 100, default);
            if (page.Events.IsEmpty)
            {
                return all;
            }

            all.AddRange(page.Events);
            after = page.Next;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_appends_its_events_exactly_when_it_stores_the_row(bool embedded)
    {
        IOrderStore store;
        IOrderEventReader log;
        if (embedded)
        {
            var memory = new MemoryOrderEventStore();
            (store, log) = (new InMemoryOrderStore(memory), memory);
        }
        else
        {
            var connectionString = await MigratedDatabaseAsync();
            (store, log) = (new PostgresOrderStore(NpgsqlDataSource.Create(connectionString)), new PostgresOrderEventStore(connectionString));
        }

        var created = OrderEventTests.Paid("o1");
        var duplicateCreate = OrderEventTests.Paid("o1");
        var paid = OrderEventTests.Paid("o1");
        var stalePaid = OrderEventTests.Paid("o1");
        var plain = OrderEventTests.Paid("o2");

        Assert.True(await store.InsertAsync(Row("o1", created), default));
        Assert.False(await store.InsertAsync(Row("o1", duplicateCreate), default));
        Assert.True(await store.InsertAsync(Row("o2"), default));
        Assert.True(await store.UpdateAsync(Row("o1", paid), 1, default));
        Assert.False(await store.UpdateAsync(Row("o1", stalePaid), 1, default));
        Assert.True(await store.UpdateAsync(Row("o2", plain), 1, default));

        var stored = await AllAsync(log);
        Assert.Equal(new[] { created.EventId, paid.EventId, plain.EventId }, stored.Select(e => e.EventId));
        Assert.Equal(new[] { "o1", "o1", "o2" }, stored.Select(e => e.OrderNo));
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.Equal(9_900, System.Text.Json.JsonDocument.Parse(stored[1].Payload).RootElement.GetProperty("amountFen").GetInt64());
        Assert.Equal(2L, (await store.ReadAsync("o1", default))!.Version);
    }

    [Fact]
    public async Task One_batch_logs_each_written_row_s_events_in_order_and_none_of_a_number_sent_twice()
    {
        var connectionString = await MigratedDatabaseAsync();
        var store = new PostgresOrderStore(NpgsqlDataSource.Create(connectionString));
        var rows = Enumerable.Range(0, 40).Select(i => Row($"b{i:00}", OrderEventTests.Paid($"b{i:00}"), OrderEventTests.Paid($"b{i:00}"))).ToList();
        var twin = Row("b07", OrderEventTests.Paid("b07"));

        // Concurrent writes share group commits, so batches of many rows (and the twin in one of them) are exercised.
        var results = await Task.WhenAll(rows.Append(twin).Select(r => store.InsertAsync(r, default)));

        Assert.Equal(40, results.Count(r => r));
        var logged = await AllAsync(new PostgresOrderEventStore(connectionString));
        // Either of the two b07 rows may win the race; the log holds exactly the winner's events.
        var written = rows.Select((r, i) => results[i] ? r : twin).ToList();
        Assert.Equal(written.Sum(r => r.Events.Count), logged.Count);
        Assert.Equal(written.SelectMany(r => r.Events).Select(e => e.EventId).Order(), logged.Select(e => e.EventId).Order());
        foreach (var order in logged.GroupBy(e => e.OrderNo))
        {
            var expected = written.Single(r => r.OrderNo == order.Key).Events.Select(e => e.EventId);
            Assert.Equal(expected, order.OrderBy(e => e.Seq).Select(e => e.EventId));
        }
    }

    [Fact]
    public async Task Order_writes_and_relayed_appends_never_let_a_reader_skip_an_event()
    {
        var connectionString = await MigratedDatabaseAsync();
        var store = new PostgresOrderStore(NpgsqlDataSource.Create(connectionString));
        var log = new PostgresOrderEventStore(connectionString);
        var writers = Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                Assert.True(w % 2 == 0
                    ? await store.InsertAsync(Row($"w{w}-{i}", OrderEventTests.Paid($"w{w}-{i}")), default)
                    : (await log.PublishAsync([OrderEventTests.Paid($"w{w}-{i}")], default)).All(e => e is null));
            }
        })));

        var seen = await OrderEventTests.ReadWhileWritingAsync(log, writers);
        Assert.Equal(200, seen.Count);
        Assert.Equal(200, seen.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task A_row_stored_with_pending_events_by_an_earlier_version_logs_them_when_its_order_activates()
    {
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false);
        var protector = cluster.Silos[0].App.Services.GetRequiredService<PersonalDataProtector>();
        var orderNo = ExportSeed.NewOrderNo();
        var shipped = OrderEventTests.Paid(orderNo);
        var legacy = ExportSeed.Order(protector, "u-legacy", orderNo, ExportSeed.Address("legacy"), T0, 1) with
        {
            Outbox = Outbox.Empty.Add(shipped),
        };
        var store = new PostgresOrderStore(NpgsqlDataSource.Create(cluster.ConnectionString!));
        Assert.True(await store.InsertAsync(OrderStateJson.ToRow(legacy), default));
        var log = new PostgresOrderEventStore(cluster.ConnectionString!);
        Assert.DoesNotContain(await AllAsync(log), e => e.OrderNo == orderNo);

        var seen = await cluster.Grains.GetGrain<IOrderGrain>(orderNo).GetAsync(new OrderCaller("a1", IsAdmin: true));

        Assert.Equal(OrderOutcomeStatus.Ok, seen.Status);
        var logged = await Poll.UntilAsync(async () => (await AllAsync(log)).Where(e => e.OrderNo == orderNo).ToList(), e => e.Count > 0,
            what: "the pending event in the log");
        Assert.Equal(shipped.EventId, Assert.Single(logged).EventId);
    }
}
