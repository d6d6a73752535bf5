using Refit;

namespace Shop.Client.Inventory;

/// <summary>Admin stock routes (role "admin").</summary>
public interface IStockApi
{
    [Get("/api/admin/products/{id}/stock")]
    Task<StockResponse> GetStockAsync(string id, CancellationToken cancellationToken = default);

    [Post("/api/admin/products/{id}/stock")]
    Task<StockResponse> AdjustStockAsync(string id, [Body] AdjustStockRequest request, CancellationToken cancellationToken = default);
}
