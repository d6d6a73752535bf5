using System.Net;
using Npgsql;
using Shop.Benchmarks.Report;
using Shop.Benchmarks.Scenarios;
using Shop.Client.Inventory;

namespace Shop.Benchmarks.Audit;

/// <summary>
/// After an order scenario, from PostgreSQL and the API: per SKU, received (inventory_adjustments) = total =
/// available + reserved + sold (admin stock route), units held = orders answered 201 = units in the orders table; every
/// order answered 201 is in the orders table and answers GET. Oversold units or a lost order fail the run.
/// </summary>
public static class OrderAudit
{
    private const int SampleGets = 200;

    public static async Task<ScenarioResult> RunAsync(ScenarioResult result, ScenarioContext context, IStockApi stock,
        IReadOnlyDictionary<string, long> delivered, OrderPlacer placer)
    {
        var notes = new List<string>();
        var created = placer.Created.ToList();
        var database = context.Deployment.Database;
        var received = database is null ? delivered : await ReceivedAsync(database, delivered.Keys);
        var orderUnits = database is null ? null : await OrderUnitsAsync(database, delivered.Keys);
        var acknowledged = created.GroupBy(c => c.ProductId).ToDictionary(g => g.Key, g => (long)g.Count());
        long oversold = 0;
        foreach (var chunk in delivered.Keys.Chunk(16))
        {
            foreach (var (sku, levels) in await Task.WhenAll(chunk.Select(async sku => (sku, await stock.GetStockAsync(sku, limit: 1)))))
            {
                var got = received.GetValueOrDefault(sku);
                var held = levels.Reserved + levels.Sold;
                oversold += Math.Max(0, held - got) + Math.Max(0, (orderUnits?.GetValueOrDefault(sku) ?? 0) - got);
                Check(notes, levels.Total == got && levels.Available + levels.Reserved + levels.Sold == got,
                    $"{sku}: received {got} but total {levels.Total} = {levels.Available} available + {levels.Reserved} reserved + {levels.Sold} sold");
                Check(notes, held == acknowledged.GetValueOrDefault(sku),
                    $"{sku}: {acknowledged.GetValueOrDefault(sku)} orders answered 201 but {held} units reserved or sold");
                Check(notes, orderUnits is null || orderUnits.GetValueOrDefault(sku) == held,
                    $"{sku}: the orders table holds {orderUnits?.GetValueOrDefault(sku)} units but the stock {held}");
            }
        }

        var missing = database is null ? (long?)null : await MissingOrdersAsync(database, created.Select(c => c.OrderNo).ToArray());
        Check(notes, missing is null or 0, $"{missing} orders answered 201 are not in the orders table");
        // Through the API as well: all of them without a database to ask, a random sample otherwise.
        var toGet = database is null ? created : created.OrderBy(_ => Random.Shared.Next()).Take(SampleGets).ToList();
        var unreadable = 0;
        foreach (var chunk in toGet.Chunk(32))
        {
            var answers = await Task.WhenAll(chunk.Select(c => placer.Customer(c.Caller).GetAsync($"/api/orders/{c.OrderNo}")));
            unreadable += answers.Count(a => a.StatusCode != HttpStatusCode.OK);
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }

        Check(notes, unreadable == 0, $"{unreadable} of {toGet.Count} orders answered 201 do not answer GET /api/orders/{{orderNo}} with 200");
        var (auditNotes, auditSummary) = await StockAuditCall.CheckAsync(context.Deployment, delivered.Keys);
        notes.AddRange(auditNotes);
        Console.WriteLine($"  {auditSummary}");
        Console.WriteLine($"  audit: {(notes.Count == 0 ? "passed" : "FAILED")}: {delivered.Count:N0} SKUs, {created.Count:N0} orders answered 201 " +
            $"({(missing is null ? "no database: all checked by GET" : $"{missing} missing from the orders table, {toGet.Count} checked by GET")}), oversold {oversold}");
        return result with { Oversold = oversold, AuditPassed = notes.Count == 0, Notes = [.. result.Notes, .. notes.Take(5)] };
    }

    private static void Check(List<string> notes, bool ok, string problem)
    {
        if (!ok)
        {
            notes.Add(problem);
        }
    }

    private static Task<Dictionary<string, long>> ReceivedAsync(string database, IEnumerable<string> skus) => QueryAsync(database,
        "SELECT sku, sum(delta)::bigint FROM inventory_adjustments WHERE sku = ANY($1) GROUP BY sku", skus.ToArray());

    /// <summary>Units of the SKUs in orders that hold stock (everything but rejected and cancelled ones).</summary>
    private static Task<Dictionary<string, long>> OrderUnitsAsync(string database, IEnumerable<string> skus) => QueryAsync(database, """
        SELECT l->>'productId', sum((l->>'quantity')::bigint)::bigint
        FROM orders, jsonb_array_elements(state->'lines') l
        WHERE l->>'productId' = ANY($1) AND status <> ALL('{Rejected,Cancelled,Reserving}')
        GROUP BY 1
        """, skus.ToArray());

    private static async Task<long> MissingOrdersAsync(string database, string[] orderNos)
    {
        var found = await QueryAsync(database, "SELECT 'found', count(*) FROM orders WHERE order_no = ANY($1)", orderNos);
        return orderNos.Length - found.GetValueOrDefault("found");
    }

    private static async Task<Dictionary<string, long>> QueryAsync(string database, string sql, string[] keys)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = keys } } };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, long>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }

        return rows;
    }
}
