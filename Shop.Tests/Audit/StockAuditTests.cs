using System.Net;
using Npgsql;
using Shop.Client.Audit;
using Shop.Grains.Interfaces.Audit;
using Shop.Grains.Interfaces.Orders;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Audit;

/// <summary>
/// <c>GET /api/admin/audit/stock</c> over HTTP: a clean purchase walk adds up, stock rows tampered with in PostgreSQL are
/// reported with the SKU, its figures and the orders involved, the embedded mode is audited too, and only admins may ask.
/// </summary>
public sealed class StockAuditTests
{
    [Fact]
    public async Task A_clean_walk_has_no_discrepancy_and_tampered_rows_are_reported_with_sku_figures_and_orders()
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        var (a, b, paid) = await WalkAsync(cluster);

        var clean = await AuditAsync(cluster);
        Assert.Empty(clean.Discrepancies);
        Assert.Equal(2, clean.CheckedSkus);
        Assert.Equal(2, clean.CheckedOrders);
        Assert.Equal(0, clean.InFlightReservations);

        // Someone "fixes" the receiving record of A by hand, and B's log gets a reservation no order ever made.
        await ExecuteAsync(cluster.ConnectionString!, "UPDATE inventory_adjustments SET delta = delta + 7 WHERE sku = $1", a);
        await ExecuteAsync(cluster.ConnectionString!, """
            INSERT INTO inventory_log (sku, version, events)
            SELECT sku, max(version) + 1, '[{"type":"reserved","orderId":"ghost-order","quantity":5,"expiresAt":"2020-01-01T00:00:00Z","at":"2020-01-01T00:00:00Z"}]'::jsonb
            FROM inventory_log WHERE sku = $1 GROUP BY sku
            """, b);

        var audit = await AuditAsync(cluster);
        var received = Assert.Single(audit.Discrepancies, d => d.Sku == a);
        Assert.Equal(StockDiscrepancyKinds.ReceivedMismatch, received.Kind);
        // A: 10 received (17 claimed), 2 sold to the paid order, 1 reserved for the unpaid one.
        Assert.Equal((17L, 10L, 7L, 1L, 2L, 1L, 2L), (received.Received, received.Total, received.Available, received.Reserved, received.Sold,
            received.ReservedForUnpaidOrders, received.SoldToPaidOrders));

        var ofB = audit.Discrepancies.Where(d => d.Sku == b).ToDictionary(d => d.Kind);
        Assert.Equal([StockDiscrepancyKinds.Oversold, StockDiscrepancyKinds.ReservationWithoutOrder], ofB.Keys.Order());
        var oversold = ofB[StockDiscrepancyKinds.Oversold];
        // B: 5 received, 1 sold to the paid order, 5 reserved by nobody: 1 unit more than exists.
        Assert.Equal((5L, 5L, -1L, 5L, 1L, 0L, 1L), (oversold.Received, oversold.Total, oversold.Available, oversold.Reserved, oversold.Sold,
            oversold.ReservedForUnpaidOrders, oversold.SoldToPaidOrders));
        Assert.Equal(["ghost-order"], ofB[StockDiscrepancyKinds.ReservationWithoutOrder].Orders);
        Assert.DoesNotContain(audit.Discrepancies, d => d.Orders.Contains(paid));
    }

    [Fact]
    public async Task A_paid_order_whose_sale_is_missing_from_the_stock_log_is_named()
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        var (a, _, paid) = await WalkAsync(cluster);

        // The confirmation of the paid order's A units disappears from the log (as if a write had been lost).
        await ExecuteAsync(cluster.ConnectionString!, """
            UPDATE inventory_log SET events = (SELECT coalesce(jsonb_agg(e), '[]'::jsonb) FROM jsonb_array_elements(events) e
                WHERE NOT (e->>'type' = 'confirmed' AND e->>'orderId' = $2))
            WHERE sku = $1
            """, a, paid);

        var audit = await AuditAsync(cluster);
        var notSold = Assert.Single(audit.Discrepancies, d => d.Kind == StockDiscrepancyKinds.OrderNotSold);
        Assert.Equal(a, notSold.Sku);
        Assert.Equal([paid], notSold.Orders);
        Assert.Equal((10L, 3L, 0L, 2L), (notSold.Total, notSold.Reserved, notSold.Sold, notSold.SoldToPaidOrders));
    }

    [Fact]
    public async Task The_embedded_mode_is_audited_and_only_admins_may_ask()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true);
        await WalkAsync(cluster);

        var audit = await AuditAsync(cluster);
        Assert.Empty(audit.Discrepancies);
        Assert.Equal(2, audit.CheckedSkus);
        Assert.Equal(2, audit.CheckedOrders);

        using var customer = cluster.CreateClient(TestTokens.Customer("curious"));
        using var forbidden = await customer.GetAsync("/api/admin/audit/stock");
        await Problems.AssertAsync(forbidden, HttpStatusCode.Forbidden, "FORBIDDEN");
        using var anonymous = cluster.CreateClient();
        using var unauthorized = await anonymous.GetAsync("/api/admin/audit/stock");
        await Problems.AssertAsync(unauthorized, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    /// <summary>A (10 units) and B (5): one order of 2 A + 1 B paid, one of 1 A left unpaid.</summary>
    internal static async Task<(string A, string B, string Paid)> WalkAsync(ShopTestCluster cluster)
    {
        var a = await cluster.ProductAsync(10);
        var b = await cluster.ProductAsync(5);
        var customer = cluster.Orders(TestTokens.Customer("auditee"));
        var first = await customer.CreateAsync(Request((a.Id, 2), (b.Id, 1)));
        await customer.CreateAsync(Request((a.Id, 1)));
        var paid = await cluster.Grains.GetGrain<IOrderGrain>(first.OrderNo).MarkPaidAsync(new PaymentReceipt("4200009", first.TotalFen, DateTimeOffset.UtcNow));
        Assert.Equal(OrderStatus.Paid, paid.Order!.Status);
        return (a.Id, b.Id, first.OrderNo);
    }

    private static Task<StockAuditResponse> AuditAsync(ShopTestCluster cluster) =>
        StockAuditApiClient.Create(cluster.CreateClient(TestTokens.Admin())).AuditStockAsync();

    internal static async Task ExecuteAsync(string connectionString, string sql, params string[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        Assert.True(await command.ExecuteNonQueryAsync() > 0, "the tampering changed no row");
    }
}
