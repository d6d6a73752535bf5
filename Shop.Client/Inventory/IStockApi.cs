using Refit;

namespace Shop.Client.Inventory;

/// <summary>Admin stock routes (role "admin").</summary>
public interface IStockApi
{
    /// <summary>The levels and the first page of reservations; pass the answer's <c>next</c> as <paramref name="after"/> for the next page.</summary>
    [Get("/api/admin/products/{id}/stock")]
    Task<StockResponse> GetStockAsync(string id, [Query] string? after = null, [Query] int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Applies the change once per <paramref name="idempotencyKey"/>: a retry with the same key and body gets the first answer.</summary>
    [Post("/api/admin/products/{id}/stock")]
    Task<StockLevelsResponse> AdjustStockAsync(string id, [Body] AdjustStockRequest request,
        [Header("Idempotency-Key")] string idempotencyKey, CancellationToken cancellationToken = default);
}

public static class StockApiClient
{
    /// <summary>A typed stock client over <paramref name="httpClient"/>, speaking the API's JSON rules.</summary>
    public static IStockApi Create(HttpClient httpClient) =>
        RestService.For<IStockApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
