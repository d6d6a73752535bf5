using System.Net;
using System.Text.Json;
using Refit;
using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

public sealed class StockEndpointsTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    [Fact]
    public async Task An_admin_restocks_and_reads_stock_and_the_change_is_audited_with_the_token_subject()
    {
        var id = ProductId.New();
        var api = StockApiClient.Create(inventory.Cluster.CreateClient(TestTokens.Admin("admin-42")));

        var empty = await api.GetStockAsync(id);
        Assert.Equal((0L, 0L, 0L, 0L), Levels(empty));
        Assert.Empty(empty.Reservations);
        Assert.Equal((null, 0), (empty.Next, empty.ReservationCount));
        Assert.Equal(new StockLevelsResponse(100, 100, 0, 0), await api.AdjustStockAsync(id, new AdjustStockRequest(100, "restock"), NewKey()));
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(15);
        await inventory.Sku(id).ReserveAsync("order-1", 3, expiresAt);
        Assert.Equal(new StockLevelsResponse(95, 92, 3, 0), await api.AdjustStockAsync(id, new AdjustStockRequest(-5, "damaged in storage"), NewKey()));

        var stock = await api.GetStockAsync(id);
        Assert.Equal((95L, 92L, 3L, 0L), Levels(stock));
        Assert.Equal((null, 1), (stock.Next, stock.ReservationCount));
        var reservation = Assert.Single(stock.Reservations);
        Assert.Equal(("order-1", 3), (reservation.OrderId, reservation.Quantity));
        Assert.Equal(expiresAt, reservation.ExpiresAt, TimeSpan.FromMilliseconds(1));

        Assert.Equal([(100L, "restock", "admin-42"), (-5L, "damaged in storage", "admin-42")], await AuditAsync(id));
    }

    [Fact]
    public async Task Only_admins_may_use_the_stock_routes()
    {
        var id = ProductId.New();
        using var customer = inventory.Cluster.CreateClient(TestTokens.Customer());
        using var anonymous = inventory.Cluster.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/admin/products/{id}/stock")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await customer.SendAsync(StockRequests.Adjust(id, new { delta = 5, reason = "restock" }, NewKey()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/admin/products/{id}/stock")).StatusCode);
        Assert.Empty(await AuditAsync(id));
    }

    [Theory]
    [InlineData("""{"delta": 0, "reason": "restock"}""", "delta")]
    [InlineData("""{"delta": 1000001, "reason": "restock"}""", "delta")]
    [InlineData("""{"delta": -1000001, "reason": "restock"}""", "delta")]
    [InlineData("""{"reason": "restock"}""", "delta")]
    [InlineData("""{"delta": 5, "reason": ""}""", "reason")]
    [InlineData("""{"delta": 5, "reason": "   "}""", "reason")]
    [InlineData("""{"delta": 5}""", "reason")]
    public async Task Bad_adjustments_are_rejected_naming_the_field(string body, string field)
    {
        var id = ProductId.New();
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());

        var response = await admin.SendAsync(StockRequests.Adjust(id, body, NewKey()));

        await StockRequests.AssertValidationProblemAsync(response, field);
        Assert.Empty(await AuditAsync(id));
    }

    [Fact]
    public async Task A_long_reason_and_malformed_product_ids_are_rejected_before_any_grain_is_touched()
    {
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());

        await StockRequests.AssertValidationProblemAsync(await admin.SendAsync(StockRequests.Adjust(ProductId.New(),
            new { delta = 5, reason = new string('x', 201) }, NewKey())), "reason");
        foreach (var id in new[] { "p_short", "q_" + ProductId.New()[2..], ProductId.New()[..^1] + "B", "p_AAAAAAAAAAAAAAAAAAAA%2B%2B" })
        {
            await StockRequests.AssertValidationProblemAsync(await admin.GetAsync($"/api/admin/products/{id}/stock"), "id");
            await StockRequests.AssertValidationProblemAsync(await admin.SendAsync(StockRequests.Adjust(id, new { delta = 5, reason = "restock" }, NewKey())), "id");
        }
    }

    [Fact]
    public async Task A_correction_that_would_take_more_than_is_available_is_refused_with_a_conflict()
    {
        var id = ProductId.New();
        var api = StockApiClient.Create(inventory.Cluster.CreateClient(TestTokens.Admin()));
        await api.AdjustStockAsync(id, new AdjustStockRequest(10, "restock"), NewKey());
        await inventory.Sku(id).ReserveAsync("order-1", 8, DateTimeOffset.UtcNow.AddMinutes(15));

        var error = await Assert.ThrowsAnyAsync<ApiException>(() => api.AdjustStockAsync(id, new AdjustStockRequest(-3, "stocktake"), NewKey()));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        using var problem = JsonDocument.Parse(error.Content!);
        Assert.Equal("INSUFFICIENT_STOCK", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(2, problem.RootElement.GetProperty("available").GetInt64());
        Assert.Equal((10L, 2L, 8L, 0L), Levels(await api.GetStockAsync(id)));
    }

    private static (long Total, long Available, long Reserved, long Sold) Levels(StockResponse stock) =>
        (stock.Total, stock.Available, stock.Reserved, stock.Sold);

    private static string NewKey() => Guid.NewGuid().ToString();

    private Task<List<(long Delta, string Reason, string Operator)>> AuditAsync(string sku) =>
        StockRequests.AuditAsync(inventory.ConnectionString, sku);
}
