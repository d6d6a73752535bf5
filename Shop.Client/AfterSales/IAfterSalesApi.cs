using Refit;

namespace Shop.Client.AfterSales;

/// <summary>After-sales (售后): customers open, follow and withdraw requests for their orders' lines; admins decide them.</summary>
public interface IAfterSalesApi
{
    [Post("/api/orders/{orderNo}/after-sales")]
    Task<IApiResponse<AfterSalesResponse>> OpenAsync(string orderNo, [Body] CreateAfterSalesRequest request, CancellationToken cancellationToken = default);

    [Get("/api/orders/{orderNo}/after-sales")]
    Task<IApiResponse<AfterSalesListResponse>> ListForOrderAsync(string orderNo, CancellationToken cancellationToken = default);

    [Get("/api/orders/{orderNo}/after-sales/{requestId}")]
    Task<IApiResponse<AfterSalesResponse>> GetAsync(string orderNo, string requestId, CancellationToken cancellationToken = default);

    [Post("/api/orders/{orderNo}/after-sales/{requestId}/withdraw")]
    Task<IApiResponse<AfterSalesResponse>> WithdrawAsync(string orderNo, string requestId, CancellationToken cancellationToken = default);

    [Post("/api/orders/{orderNo}/after-sales/{requestId}/return-shipment")]
    Task<IApiResponse<AfterSalesResponse>> SubmitReturnAsync(string orderNo, string requestId, [Body] SubmitReturnShipmentRequest request,
        CancellationToken cancellationToken = default);

    [Get("/api/admin/after-sales")]
    Task<IApiResponse<AfterSalesListResponse>> ListAsync([Query] string? status = null, [Query] int? page = null, [Query] int? size = null,
        CancellationToken cancellationToken = default);

    [Get("/api/admin/after-sales/{requestId}")]
    Task<IApiResponse<AfterSalesResponse>> GetAsAdminAsync(string requestId, CancellationToken cancellationToken = default);

    [Post("/api/admin/after-sales/{requestId}/approve")]
    Task<IApiResponse<AfterSalesResponse>> ApproveAsync(string requestId, [Body] AfterSalesDecisionRequest request, CancellationToken cancellationToken = default);

    [Post("/api/admin/after-sales/{requestId}/reject")]
    Task<IApiResponse<AfterSalesResponse>> RejectAsync(string requestId, [Body] AfterSalesDecisionRequest request, CancellationToken cancellationToken = default);

    [Post("/api/admin/after-sales/{requestId}/confirm-receipt")]
    Task<IApiResponse<AfterSalesResponse>> ConfirmReceiptAsync(string requestId, [Body] ConfirmReturnReceiptRequest request, CancellationToken cancellationToken = default);

    [Post("/api/admin/after-sales/{requestId}/reject-goods")]
    Task<IApiResponse<AfterSalesResponse>> RejectGoodsAsync(string requestId, [Body] AfterSalesDecisionRequest request, CancellationToken cancellationToken = default);
}

public static class AfterSalesApiClient
{
    public static IAfterSalesApi Create(HttpClient httpClient) =>
        RestService.For<IAfterSalesApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
