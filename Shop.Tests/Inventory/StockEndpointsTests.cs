using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
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
        var api = RestService.For<IStockApi>(inventory.Cluster.CreateClient(TestTokens.Admin("admin-42")));

        var empty = await api.GetStockAsync(id);
        Assert.Equal((0L, 0L, 0L, 0L), Levels(empty));
        Assert.Empty(empty.Reservations);
        Assert.Equal((100L, 100L, 0L, 0L), Levels(await api.AdjustStockAsync(id, new AdjustStockRequest(100, "restock"))));
        var expiresAt = DateTimeOffset.UtcNow.AddMinutes(15);
        await inventory.Sku(id).ReserveAsync("order-1", 3, expiresAt);
        Assert.Equal((95L, 92L, 3L, 0L), Levels(await api.AdjustStockAsync(id, new AdjustStockRequest(-5, "damaged in storage"))));

        var stock = await api.GetStockAsync(id);
        Assert.Equal((95L, 92L, 3L, 0L), Levels(stock));
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
            (await customer.PostAsJsonAsync($"/api/admin/products/{id}/stock", new { delta = 5, reason = "restock" })).StatusCode);
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

        var response = await admin.PostAsync($"/api/admin/products/{id}/stock", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await AssertValidationProblemAsync(response, field);
        Assert.Empty(await AuditAsync(id));
    }

    [Fact]
    public async Task A_long_reason_and_malformed_product_ids_are_rejected_before_any_grain_is_touched()
    {
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());

        await AssertValidationProblemAsync(await admin.PostAsJsonAsync($"/api/admin/products/{ProductId.New()}/stock",
            new { delta = 5, reason = new string('x', 201) }), "reason");
        foreach (var id in new[] { "p_short", "q_" + ProductId.New()[2..], ProductId.New()[..^1] + "B", "p_AAAAAAAAAAAAAAAAAAAA%2B%2B" })
        {
            await AssertValidationProblemAsync(await admin.GetAsync($"/api/admin/products/{id}/stock"), "id");
            await AssertValidationProblemAsync(await admin.PostAsJsonAsync($"/api/admin/products/{id}/stock", new { delta = 5, reason = "restock" }), "id");
        }
    }

    [Fact]
    public async Task A_correction_that_would_take_more_than_is_available_is_refused_with_a_conflict()
    {
        var id = ProductId.New();
        var api = RestService.For<IStockApi>(inventory.Cluster.CreateClient(TestTokens.Admin()));
        await api.AdjustStockAsync(id, new AdjustStockRequest(10, "restock"));
        await inventory.Sku(id).ReserveAsync("order-1", 8, DateTimeOffset.UtcNow.AddMinutes(15));

        var error = await Assert.ThrowsAnyAsync<ApiException>(() => api.AdjustStockAsync(id, new AdjustStockRequest(-3, "stocktake")));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        using var problem = JsonDocument.Parse(error.Content!);
        Assert.Equal("INSUFFICIENT_STOCK", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(2, problem.RootElement.GetProperty("available").GetInt64());
        Assert.Equal((10L, 2L, 8L, 0L), Levels(await api.GetStockAsync(id)));
    }

    private static (long Total, long Available, long Reserved, long Sold) Levels(StockResponse stock) =>
        (stock.Total, stock.Available, stock.Reserved, stock.Sold);

    private static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("VALIDATION_FAILED", problem.RootElement.GetProperty("code").GetString());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors name '{field}': {errors}");
    }

    private async Task<List<(long Delta, string Reason, string Operator)>> AuditAsync(string sku)
    {
        await using var connection = new NpgsqlConnection(inventory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT delta, reason, operator FROM inventory_adjustments WHERE sku = $1 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }
}
