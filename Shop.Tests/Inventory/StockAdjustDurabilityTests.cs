using System.Net;
using Npgsql;
using NpgsqlTypes;
using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary>
/// Applied adjustment keys live in the inventory's own log and snapshots: a retry is recognized after the cluster
/// restarts (memory gone), whether the key is read back from the log tail or from a snapshot, and events and
/// snapshots stored before keys existed still load.
/// </summary>
public sealed class StockAdjustDurabilityTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    [Fact]
    public async Task A_retry_after_a_restart_is_recognized_from_the_snapshot_and_from_the_log()
    {
        var sku = await inventory.NewSkuAsync(0);
        var id = sku.GetPrimaryKeyString();
        var (inSnapshot, inTail) = (NewKey(), NewKey());
        var first = await Api().AdjustStockAsync(id, new AdjustStockRequest(5_000, "flash sale stock"), inSnapshot);

        // Enough events after it that a snapshot is taken at a later version: the key's log row is then not reread.
        await Task.WhenAll(Enumerable.Range(0, 1_500).Select(i => sku.ReserveAsync($"order-{i}", 1, DateTimeOffset.UtcNow.AddHours(1))));
        var keyVersion = await ScalarAsync("SELECT version FROM inventory_log WHERE sku = $1 AND events @> $2", id,
            Jsonb($$"""[{"key": "{{inSnapshot}}"}]"""));
        await Poll.UntilAsync(() => ScalarAsync("SELECT coalesce(max(version), 0) FROM inventory_snapshot WHERE sku = $1", id),
            v => v > keyVersion, what: "a snapshot after the keyed adjustment");
        var second = await Api().AdjustStockAsync(id, new AdjustStockRequest(-100, "damaged"), inTail);

        await inventory.RestartAsync();

        var api = Api();
        Assert.Equal(first, await api.AdjustStockAsync(id, new AdjustStockRequest(5_000, "flash sale stock"), inSnapshot));
        Assert.Equal(second, await api.AdjustStockAsync(id, new AdjustStockRequest(-100, "damaged"), inTail));
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());
        var reused = await admin.SendAsync(StockRequests.Adjust(id, new { delta = 5_000, reason = "another sale" }, inSnapshot));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);

        var stock = await api.GetStockAsync(id, limit: 1);
        Assert.Equal((4_900L, 1_500L, 3_400L), (stock.Total, stock.Reserved, stock.Available));
        Assert.Equal([(5_000L, "flash sale stock", "admin-1"), (-100L, "damaged", "admin-1")],
            await StockRequests.AuditAsync(inventory.ConnectionString, id));
    }

    [Fact]
    public async Task Events_and_snapshots_stored_before_keys_existed_still_load()
    {
        var id = ProductId.New();
        await using (var connection = await OpenAsync())
        {
            // Exactly the JSON the previous version wrote: no "key" in adjustments, no "adjustmentKeys" in snapshots.
            await ExecuteAsync(connection, "INSERT INTO inventory_log (sku, version, events) VALUES ($1, 1, $2)", id,
                Jsonb("""[{"type":"adjusted","delta":10,"reason":"restock","operator":"admin-1","at":"2026-01-05T08:00:00+00:00"}]"""));
            await ExecuteAsync(connection, "INSERT INTO inventory_snapshot (sku, version, state) VALUES ($1, 1, $2)", id,
                Jsonb("""{"version":1,"total":10,"sold":0,"reservations":[],"outcomes":[]}"""));
            await ExecuteAsync(connection, "INSERT INTO inventory_log (sku, version, events) VALUES ($1, 2, $2)", id,
                Jsonb("""[{"type":"adjusted","delta":5,"reason":"restock","operator":"admin-1","at":"2026-01-05T09:00:00+00:00"}]"""));
        }

        var api = Api();
        Assert.Equal(15L, (await api.GetStockAsync(id)).Total);
        var key = NewKey();
        Assert.Equal(new StockLevelsResponse(16, 16, 0, 0), await api.AdjustStockAsync(id, new AdjustStockRequest(1, "restock"), key));
        Assert.Equal(new StockLevelsResponse(16, 16, 0, 0), await api.AdjustStockAsync(id, new AdjustStockRequest(1, "restock"), key));
        Assert.Equal(16L, (await api.GetStockAsync(id)).Total);
    }

    private IStockApi Api() => StockApiClient.Create(inventory.Cluster.CreateClient(TestTokens.Admin()));

    private static string NewKey() => Guid.NewGuid().ToString();

    private static NpgsqlParameter Jsonb(string json) => new() { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(inventory.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<long> ScalarAsync(string sql, string sku, NpgsqlParameter? json = null)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        if (json is not null)
        {
            command.Parameters.Add(json);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string sku, NpgsqlParameter json)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        command.Parameters.Add(json);
        await command.ExecuteNonQueryAsync();
    }
}
