using System.Data;
using System.Text.Json;
using Npgsql;
using Shop.Grains.Inventory;
using Shop.Grains.Orders;

namespace Shop.Grains.Audit;

/// <summary>
/// Reads the stock log, the adjustments' audit trail and the orders in one read-only REPEATABLE READ transaction: one
/// snapshot of the database, so a sale going on meanwhile cannot make the two sides disagree.
/// </summary>
public sealed class PostgresStockAuditSource(string connectionString) : IStockAuditSource
{
    public async Task<(IReadOnlyList<AuditedSku> Skus, IReadOnlyList<AuditedOrder> Orders)> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        var received = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT sku, sum(delta)::bigint FROM inventory_adjustments GROUP BY sku", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                received[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var logs = new Dictionary<string, List<InventoryBatch>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT sku, version, events::text FROM inventory_log ORDER BY sku, version", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var events = JsonSerializer.Deserialize<List<InventoryEvent>>(reader.GetString(2), InventoryJson.Options) ?? [];
                (logs.TryGetValue(reader.GetString(0), out var log) ? log : logs[reader.GetString(0)] = []).Add(new InventoryBatch(reader.GetInt64(1), events));
            }
        }

        var orders = new List<AuditedOrder>();
        await using (var command = new NpgsqlCommand(
            "SELECT order_no, coalesce(state->>'stock', ''), coalesce(state->'holds', '[]'::jsonb)::text FROM orders", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var holds = JsonSerializer.Deserialize<List<StockHold>>(reader.GetString(2), OrderStateJson.Options) ?? [];
                orders.Add(new AuditedOrder(reader.GetString(0), Enum.TryParse<StockPhase>(reader.GetString(1), out var stock) ? stock : StockPhase.Reserving, holds));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        IReadOnlyList<AuditedSku> skus = [.. logs.Keys.Union(received.Keys).Select(sku =>
            new AuditedSku(sku, received.GetValueOrDefault(sku), logs.GetValueOrDefault(sku) ?? []))];
        return (skus, orders);
    }
}
