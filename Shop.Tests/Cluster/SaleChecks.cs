using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.Client;
using Shop.Client.Audit;
using Shop.Client.Catalog;
using Shop.Client.Inventory;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Cluster;

/// <summary>
/// Setting up a sale and checking what it left, from PostgreSQL and through the API: acknowledged orders stored with
/// their lines, payments applied exactly once, stock conserved per SKU (the stock audit endpoint and the stock route),
/// and after the payment timeout no reservation without a live order.
/// </summary>
public static class SaleChecks
{
    private static readonly JsonSerializerOptions Json = ShopJson.CreateOptions();

    /// <summary>On-shelf products with the given stock, delivered through the admin stock route.</summary>
    public static async Task<List<string>> SeedAsync(ProcessCluster cluster, params long[] stocks)
    {
        using var http = cluster.CreateClient(TestTokens.Admin("failover-admin"));
        var catalog = CatalogApiClient.Create(http);
        var stock = StockApiClient.Create(http);
        var category = (await catalog.CreateCategoryAsync(new CreateCategoryRequest("Flash sale " + Guid.NewGuid().ToString("N")[..8]))).Content!.Id;
        var products = new List<string>();
        foreach (var units in stocks)
        {
            var draft = (await catalog.CreateProductAsync(new ProductRequest("Hot item " + Guid.NewGuid().ToString("N")[..8], "flash sale", 990, category))).Content!;
            Assert.NotNull((await catalog.SetProductStatusAsync(draft.Id, new ProductStatusRequest(ProductStatuses.OnShelf))).Content);
            await stock.AdjustStockAsync(draft.Id, new AdjustStockRequest(units, "delivery"), "seed-" + draft.Id);
            products.Add(draft.Id);
        }

        return products;
    }

    /// <summary>Every order answered 201 is stored with exactly the lines asked for.</summary>
    public static async Task AssertStoredWithLinesAsync(ProcessCluster cluster, IReadOnlyCollection<PlacedOrder> created)
    {
        var stored = await QueryAsync(cluster, "SELECT order_no, state->'lines' FROM orders WHERE order_no = ANY($1)", [.. created.Select(c => c.OrderNo)]);
        var missing = created.Where(c => !stored.ContainsKey(c.OrderNo)).Select(c => c.OrderNo).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {created.Count} orders answered 201 are not stored: {string.Join(", ", missing.Take(5))}");
        foreach (var order in created)
        {
            var lines = JsonSerializer.Deserialize<List<StoredLine>>(stored[order.OrderNo], Json)!
                .Select(l => (l.ProductId, l.Quantity)).Order().ToList();
            var asked = order.Lines.GroupBy(l => l.ProductId).Select(g => (g.Key, g.Sum(l => l.Quantity))).Order().ToList();
            Assert.True(asked.SequenceEqual(lines), $"order {order.OrderNo} asked for {string.Join(",", asked)} but stores {string.Join(",", lines)}");
        }
    }

    /// <summary>Every order the simulator took money for turns Paid, with exactly one payment and one OrderPaid event; no other does.</summary>
    public static async Task AssertPaidExactlyOnceAsync(ProcessCluster cluster, FlashSale sale)
    {
        string[] paid = [.. sale.PaidAtSimulator.Keys];
        await Poll.UntilAsync(() => QueryAsync(cluster, "SELECT order_no, status FROM orders WHERE order_no = ANY($1)", paid),
            rows => paid.All(no => rows.GetValueOrDefault(no) == "Paid"), TimeSpan.FromSeconds(60), "every order paid at the simulator to be Paid");
        var payments = await QueryAsync(cluster, """
            SELECT o.order_no, jsonb_array_length(o.state->'payments') || '/' || (SELECT count(*) FROM order_events e WHERE e.order_no = o.order_no AND e.type = 'OrderPaid')
            FROM orders o WHERE o.order_no = ANY($1)
            """, paid);
        var wrong = paid.Where(no => payments[no] != "1/1").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} paid orders have not exactly one payment and one OrderPaid event: {string.Join(", ", wrong.Take(5).Select(w => $"{w} {payments[w]}"))}");
        var others = await QueryAsync(cluster, "SELECT order_no, status FROM orders WHERE status <> ALL('{PendingPayment,Cancelled,Rejected,Reserving}') AND NOT order_no = ANY($1)", paid);
        Assert.True(others.Count == 0, $"orders nobody paid are {string.Join(", ", others.Take(5))}");

        // Through the API too, as the shopper sees it: a sample of them, each with one Pay in its history.
        var tokens = sale.Created.ToDictionary(c => c.OrderNo, c => c.Token);
        foreach (var orderNo in paid.OrderBy(_ => Random.Shared.Next()).Take(40))
        {
            using var http = cluster.CreateClient(tokens[orderNo]);
            var order = (await http.GetFromJsonAsync<OrderResponse>($"/api/orders/{orderNo}", Json))!;
            Assert.Equal(OrderStatuses.Paid, order.Status);
            Assert.Single(order.History, h => h.Trigger == "Pay");
        }
    }

    /// <summary>
    /// After the payment timeout: every acknowledged order nobody paid is closed, no order is left pending, the audit finds
    /// nothing (no reservation without a live order, nothing in flight), and per SKU received = available + reserved + sold
    /// with sold = the paid orders' units and nothing reserved.
    /// </summary>
    public static async Task<StockAuditResponse> AssertSettledAfterTimeoutAsync(ProcessCluster cluster, FlashSale sale, IReadOnlyList<string> skus, TimeSpan within)
    {
        using var admin = cluster.CreateClient(TestTokens.Admin("failover-admin"));
        var audit = StockAuditApiClient.Create(admin);
        var settled = await Poll.UntilAsync(async () => (
                Pending: (await QueryAsync(cluster, "SELECT 'pending', count(*)::text FROM orders WHERE status IN ('PendingPayment', 'Reserving')", [])).GetValueOrDefault("pending"),
                Audit: await audit.AuditStockAsync()),
            s => s.Pending == "0" && s.Audit.Discrepancies.Count == 0 && s.Audit.InFlightReservations == 0,
            within, "every unpaid order closed and the stock audit clean");
        Assert.Equal(skus.Count, settled.Audit.CheckedSkus);

        string[] unpaid = [.. sale.Created.Select(c => c.OrderNo).Where(no => !sale.PaidAtSimulator.ContainsKey(no))];
        var statuses = await QueryAsync(cluster, "SELECT order_no, status FROM orders WHERE order_no = ANY($1)", unpaid);
        var open = unpaid.Where(no => statuses[no] != "Cancelled").ToList();
        Assert.True(open.Count == 0, $"{open.Count} unpaid orders are not closed: {string.Join(", ", open.Take(5).Select(o => $"{o} {statuses[o]}"))}");

        var received = await QueryAsync(cluster, "SELECT sku, sum(delta)::text FROM inventory_adjustments WHERE sku = ANY($1) GROUP BY sku", [.. skus]);
        var soldUnits = sale.Created.Where(c => sale.PaidAtSimulator.ContainsKey(c.OrderNo)).SelectMany(c => c.Lines)
            .GroupBy(l => l.ProductId).ToDictionary(g => g.Key, g => (long)g.Sum(l => l.Quantity));
        var stock = StockApiClient.Create(admin);
        foreach (var sku in skus)
        {
            var levels = await stock.GetStockAsync(sku, limit: 1);
            var got = long.Parse(received[sku]);
            Assert.True(levels.Total == got && levels.Available + levels.Reserved + levels.Sold == got,
                $"{sku}: received {got} but total {levels.Total} = {levels.Available} available + {levels.Reserved} reserved + {levels.Sold} sold");
            Assert.Equal((0L, soldUnits.GetValueOrDefault(sku)), (levels.Reserved, levels.Sold));
        }

        return settled.Audit;
    }

    public static async Task<Dictionary<string, string>> QueryAsync(ProcessCluster cluster, string sql, string[] keys)
    {
        await using var connection = new NpgsqlConnection(cluster.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("$1", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = keys });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }

        return rows;
    }

    private sealed record StoredLine(string ProductId, int Quantity);
}
