using System.Net;
using System.Text.Json;
using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary>POST /api/admin/products/{id}/stock applies a change once per Idempotency-Key, through HTTP.</summary>
public sealed class StockAdjustIdempotencyTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    [Fact]
    public async Task A_retried_restock_is_applied_once_and_the_retry_gets_the_first_answer()
    {
        var id = ProductId.New();
        var api = Api("admin-7");
        var key = NewKey();

        var first = await api.AdjustStockAsync(id, new AdjustStockRequest(100, "restock"), key);
        await inventory.Sku(id).ReserveAsync("order-1", 3, DateTimeOffset.UtcNow.AddMinutes(15));
        var retry = await api.AdjustStockAsync(id, new AdjustStockRequest(100, " restock "), key);

        // The answer of the first request, not the current levels: the client sees what its (lost) first answer said.
        Assert.Equal(new StockLevelsResponse(100, 100, 0, 0), first);
        Assert.Equal(first, retry);
        Assert.Equal((100L, 97L, 3L), await LevelsAsync(api, id));
        Assert.Equal([(100L, "restock", "admin-7")], await AuditAsync(id));
        Assert.Equal([key], await StockRequests.AuditKeysAsync(inventory.ConnectionString, id));
    }

    [Fact]
    public async Task Concurrent_duplicates_of_one_request_apply_it_once_and_all_get_the_same_answer()
    {
        var id = ProductId.New();
        var api = Api();
        await api.AdjustStockAsync(id, new AdjustStockRequest(5, "opening stock"), NewKey());
        var key = NewKey();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => api.AdjustStockAsync(id, new AdjustStockRequest(10, "restock"), key))));

        Assert.All(answers, a => Assert.Equal(new StockLevelsResponse(15, 15, 0, 0), a));
        Assert.Equal((15L, 15L, 0L), await LevelsAsync(api, id));
        Assert.Equal(2, (await AuditAsync(id)).Count);
    }

    [Theory]
    [InlineData("""{"delta": 11, "reason": "restock"}""")]
    [InlineData("""{"delta": -10, "reason": "restock"}""")]
    [InlineData("""{"delta": 10, "reason": "restock from warehouse 2"}""")]
    public async Task The_same_key_with_another_delta_or_reason_is_refused_with_422(string body)
    {
        var id = ProductId.New();
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());
        var key = NewKey();
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(StockRequests.Adjust(id, new { delta = 10, reason = "restock" }, key))).StatusCode);

        var response = await admin.SendAsync(StockRequests.Adjust(id, body, key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal((10L, 10L, 0L), await LevelsAsync(Api(), id));
        Assert.Single(await AuditAsync(id));
    }

    [Fact]
    public async Task Keys_belong_to_one_admin_and_one_product()
    {
        var id = ProductId.New();
        var other = ProductId.New();
        var key = NewKey();

        await Api("admin-1").AdjustStockAsync(id, new AdjustStockRequest(5, "restock"), key);
        await Api("admin-2").AdjustStockAsync(id, new AdjustStockRequest(5, "restock"), key);
        await Api("admin-1").AdjustStockAsync(other, new AdjustStockRequest(5, "restock"), key);

        Assert.Equal((10L, 10L, 0L), await LevelsAsync(Api(), id));
        Assert.Equal((5L, 5L, 0L), await LevelsAsync(Api(), other));
        Assert.Equal([(5L, "restock", "admin-1"), (5L, "restock", "admin-2")], await AuditAsync(id));
    }

    [Fact]
    public async Task A_refused_correction_does_not_claim_its_key_so_its_retry_is_decided_afresh()
    {
        var id = ProductId.New();
        var api = Api();
        var key = NewKey();

        var refused = await Assert.ThrowsAnyAsync<Refit.ApiException>(() => api.AdjustStockAsync(id, new AdjustStockRequest(-5, "stocktake"), key));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        await api.AdjustStockAsync(id, new AdjustStockRequest(8, "restock"), NewKey());

        Assert.Equal(new StockLevelsResponse(3, 3, 0, 0), await api.AdjustStockAsync(id, new AdjustStockRequest(-5, "stocktake"), key));
        Assert.Equal(new StockLevelsResponse(3, 3, 0, 0), await api.AdjustStockAsync(id, new AdjustStockRequest(-5, "stocktake"), key));
        Assert.Equal([(8L, "restock", "admin-1"), (-5L, "stocktake", "admin-1")], await AuditAsync(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("x65")]
    public async Task A_missing_or_malformed_key_is_rejected_and_nothing_is_applied(string? key)
    {
        var id = ProductId.New();
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());

        var response = await admin.SendAsync(StockRequests.Adjust(id, new { delta = 5, reason = "restock" }, key == "x65" ? new string('x', 65) : key));

        await StockRequests.AssertValidationProblemAsync(response, StockRequests.KeyHeader);
        Assert.Empty(await AuditAsync(id));
    }

    [Fact]
    public async Task The_longest_key_of_visible_ascii_is_accepted()
    {
        var key = string.Concat(Enumerable.Range(0, 64).Select(i => (char)('!' + i)));
        Assert.Equal(new StockLevelsResponse(5, 5, 0, 0), await Api().AdjustStockAsync(ProductId.New(), new AdjustStockRequest(5, "restock"), key));
    }

    private IStockApi Api(string admin = "admin-1") => StockApiClient.Create(inventory.Cluster.CreateClient(TestTokens.Admin(admin)));

    private static string NewKey() => Guid.NewGuid().ToString();

    private static async Task<(long Total, long Available, long Reserved)> LevelsAsync(IStockApi api, string id)
    {
        var stock = await api.GetStockAsync(id, limit: 1);
        return (stock.Total, stock.Available, stock.Reserved);
    }

    private Task<List<(long Delta, string Reason, string Operator)>> AuditAsync(string sku) =>
        StockRequests.AuditAsync(inventory.ConnectionString, sku);
}
