using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Inventory;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary>The two stores keep the same contract: appends fenced by version, snapshots that only move forward.</summary>
public sealed class InventoryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Stores => new() { "postgres", "memory" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Appends_are_fenced_by_version_and_load_reads_snapshot_plus_tail(string kind)
    {
        var (store, _) = await CreateAsync(kind);
        var sku = ProductId.New();
        Assert.Equal(0, (await store.LoadAsync(sku)).Version);

        await store.AppendAsync(sku, 1, [new StockAdjusted(10, "restock", "admin-1", T0)]);
        await store.AppendAsync(sku, 2, [
            new StockReserved("o-1", 3, T0.AddMinutes(15), T0),
            new StockReserved("o-2", 2, T0.AddMinutes(15), T0),
        ]);
        await Assert.ThrowsAsync<InventoryVersionConflictException>(() =>
            store.AppendAsync(sku, 2, [new ReservationConfirmed("o-1", T0)]));
        await Assert.ThrowsAsync<InventoryVersionConflictException>(() =>
            store.AppendAsync(sku, 1, [new ReservationConfirmed("o-1", T0)]));

        var load = await store.LoadAsync(sku);
        Assert.Null(load.Snapshot);
        Assert.Equal([1L, 2L], load.Tail.Select(b => b.Version));
        Assert.Equal(new StockReserved("o-2", 2, T0.AddMinutes(15), T0), load.Tail[1].Events[1]);

        var snapshot = new InventorySnapshot(2, 10, 0, [new("o-1", 3, T0.AddMinutes(15)), new("o-2", 2, T0.AddMinutes(15))], []);
        await store.SaveSnapshotAsync(sku, snapshot);
        await store.AppendAsync(sku, 3, [new ReservationReleased("o-2", ReleaseReason.Expired, T0.AddMinutes(16))]);

        // An older snapshot (a slow writer) never replaces a newer one.
        await store.SaveSnapshotAsync(sku, snapshot with { Version = 1, Total = 999 });

        load = await store.LoadAsync(sku);
        Assert.Equal(2, load.Snapshot!.Version);
        Assert.Equal(10, load.Snapshot.Total);
        Assert.Equal(snapshot.Reservations, load.Snapshot.Reservations);
        Assert.Equal([3L], load.Tail.Select(b => b.Version));
        Assert.Equal(3, load.Version);
        Assert.IsType<ReservationReleased>(Assert.Single(load.Tail[0].Events));
    }

    [Fact]
    public async Task Adjustments_are_audited_in_postgres_with_their_log_row()
    {
        var (store, connectionString) = await CreateAsync("postgres");
        var sku = ProductId.New();

        await store.AppendAsync(sku, 1, [
            new StockAdjusted(100, "restock", "admin-1", T0),
            new StockReserved("o-1", 1, T0.AddMinutes(5), T0),
            new StockAdjusted(-7, "damaged", "admin-2", T0.AddSeconds(1)),
        ]);
        await Assert.ThrowsAsync<InventoryVersionConflictException>(() =>
            store.AppendAsync(sku, 1, [new StockAdjusted(5, "lost race", "admin-3", T0)]));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version, delta, reason, operator, adjusted_at FROM inventory_adjustments WHERE sku = $1 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        var rows = new List<(long, long, string, string, DateTime)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetDateTime(4)));
            }
        }

        // The losing writer's audit row was rolled back together with its log row.
        Assert.Equal(
            [(1L, 100L, "restock", "admin-1", T0.UtcDateTime), (1L, -7L, "damaged", "admin-2", T0.AddSeconds(1).UtcDateTime)],
            rows);
    }

    private static async Task<(IInventoryStore Store, string? ConnectionString)> CreateAsync(string kind)
    {
        if (kind == "memory")
        {
            return (new InMemoryInventoryStore(), null);
        }

        var connectionString = await TestDatabase.CreateAsync("inventory");
        await new SchemaMigrator(connectionString, SchemaMigrator.DefaultScriptDirectory, NullLogger.Instance).MigrateAsync();
        return (new PostgresInventoryStore(connectionString), connectionString);
    }
}
