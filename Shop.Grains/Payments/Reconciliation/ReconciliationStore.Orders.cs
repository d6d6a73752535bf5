using System.Text.Json;
using Npgsql;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>What the shop recorded, read from the orders table (each order grain's own durable record) in batches.</summary>
public sealed partial class ReconciliationStore
{
    public async Task<Dictionary<string, ShopOrderFacts>> LoadOrdersAsync(IReadOnlyCollection<string> orderNos, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: """
            SELECT order_no, status, total_fen, COALESCE(state->'payments', '[]'::jsonb)::text, COALESCE(state->'refunds', '[]'::jsonb)::text
            FROM orders WHERE order_no = ANY(@nos)
            """);
        command.Parameters.AddWithValue("nos", orderNos.ToArray());
        var facts = new Dictionary<string, ShopOrderFacts>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var orderNo = reader.GetString(0);
            facts[orderNo] = new ShopOrderFacts(orderNo, reader.GetString(1), reader.GetInt64(2),
                JsonSerializer.Deserialize<List<ShopPaymentFact>>(reader.GetString(3), Json) ?? [],
                JsonSerializer.Deserialize<List<ShopRefundFact>>(reader.GetString(4), Json) ?? []);
        }

        return facts;
    }

    /// <summary>
    /// Payments recorded as made in [<paramref name="start"/>, <paramref name="end"/>), by keyset pages. Only orders
    /// created from <paramref name="window"/> before the day are looked at (the created_at index): a payment can come no
    /// later than the order's payment timeout, which is far shorter (see <see cref="ReconciliationOptions.MissingFromBillWindow"/>).
    /// </summary>
    public async Task<IReadOnlyList<ShopPaymentOnDay>> PaymentsBetweenAsync(DateTimeOffset start, DateTimeOffset end, TimeSpan window, ShopPaymentOnDay? after,
        int limit, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: """
            SELECT o.order_no, p->>'transactionId', (p->>'amountFen')::bigint
            FROM orders o CROSS JOIN LATERAL jsonb_array_elements(COALESCE(o.state->'payments', '[]'::jsonb)) p
            WHERE o.created_at >= @from AND o.created_at < @end
              AND (p->>'paidAt')::timestamptz >= @start AND (p->>'paidAt')::timestamptz < @end
              AND (o.order_no, p->>'transactionId') > (@after_no, @after_tx)
            ORDER BY o.order_no, p->>'transactionId' LIMIT @limit
            """);
        // Npgsql writes timestamptz only from UTC values; bill days are Beijing days.
        command.Parameters.AddWithValue("from", (start - window).ToUniversalTime());
        command.Parameters.AddWithValue("start", start.ToUniversalTime());
        command.Parameters.AddWithValue("end", end.ToUniversalTime());
        command.Parameters.AddWithValue("after_no", after?.OrderNo ?? "");
        command.Parameters.AddWithValue("after_tx", after?.TransactionId ?? "");
        command.Parameters.AddWithValue("limit", limit);
        var page = new List<ShopPaymentOnDay>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            page.Add(new ShopPaymentOnDay(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return page;
    }

    /// <summary>
    /// Refunds recorded SUCCESS with a success time in [<paramref name="start"/>, <paramref name="end"/>), of orders
    /// created from <paramref name="window"/> before the day, by keyset pages (the same rule as for payments).
    /// </summary>
    public async Task<IReadOnlyList<ShopRefundOnDay>> RefundsSucceededBetweenAsync(DateTimeOffset start, DateTimeOffset end, TimeSpan window,
        ShopRefundOnDay? after, int limit, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: """
            SELECT o.order_no, r->>'outRefundNo', (r->>'amountFen')::bigint, (r->>'succeededAt')::timestamptz
            FROM orders o CROSS JOIN LATERAL jsonb_array_elements(COALESCE(o.state->'refunds', '[]'::jsonb)) r
            WHERE o.created_at >= @from AND o.created_at < @end AND r->>'status' = 'SUCCESS'
              AND (r->>'succeededAt')::timestamptz >= @start AND (r->>'succeededAt')::timestamptz < @end
              AND (o.order_no, r->>'outRefundNo') > (@after_no, @after_refund)
            ORDER BY o.order_no, r->>'outRefundNo' LIMIT @limit
            """);
        command.Parameters.AddWithValue("from", (start - window).ToUniversalTime());
        command.Parameters.AddWithValue("start", start.ToUniversalTime());
        command.Parameters.AddWithValue("end", end.ToUniversalTime());
        command.Parameters.AddWithValue("after_no", after?.OrderNo ?? "");
        command.Parameters.AddWithValue("after_refund", after?.OutRefundNo ?? "");
        command.Parameters.AddWithValue("limit", limit);
        var page = new List<ShopRefundOnDay>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            page.Add(new ShopRefundOnDay(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return page;
    }
}
