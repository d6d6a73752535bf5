using Npgsql;
using Shop.Grains.Orders;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

/// <summary>
/// The due-order sweep pages by (due_at, order_no): orders that stay due because their work keeps failing must not hide
/// the orders behind them, and no due order is listed twice or skipped, in PostgreSQL and in the embedded mode alike.
/// </summary>
public sealed class DueOrderPagingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<bool> Stores => new() { true, false };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Keyset_pages_list_every_due_order_once_in_due_order(bool postgres)
    {
        var store = await StoreAsync(postgres);
        var rows = new (string No, DateTimeOffset? Due)[]
        {
            ("o5", T0.AddMinutes(3)), ("o1", T0), ("o3", T0.AddMinutes(1)), ("o2", T0.AddMinutes(1)),
            ("o4", T0.AddMinutes(2)), ("later", T0.AddHours(1)), ("never", null),
        };
        foreach (var (no, due) in rows)
        {
            Assert.True(await store.InsertAsync(new OrderRow(no, "u", "PendingPayment", 100, T0, T0, due, "{}"), CancellationToken.None));
        }

        var seen = new List<string>();
        DueOrder? after = null;
        while (true)
        {
            var page = await store.ListDueAsync(T0.AddMinutes(5), after, 2, CancellationToken.None);
            seen.AddRange(page.Select(d => d.OrderNo));
            if (page.Count < 2)
            {
                break;
            }

            after = page[^1];
        }

        Assert.Equal(["o1", "o2", "o3", "o4", "o5"], seen);
    }

    private static async Task<IOrderStore> StoreAsync(bool postgres)
    {
        if (!postgres)
        {
            return new InMemoryOrderStore();
        }

        var connectionString = await TestDatabase.CreateAsync("due");
        Assert.Equal(0, await MigrateCommand.RunAsync(["migrate", $"--ConnectionStrings:Shop={connectionString}"]));
        return new PostgresOrderStore(NpgsqlDataSource.Create(connectionString));
    }
}
