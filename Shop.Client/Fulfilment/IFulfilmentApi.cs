using Refit;
using Shop.Client.Orders;

namespace Shop.Client.Fulfilment;

/// <summary>Shipping (admin): parcels, batches, corrections, and the WeChat shipping-information uploads.</summary>
public interface IFulfilmentApi
{
    [Post("/api/admin/orders/{orderNo}/shipments")]
    Task<IApiResponse<OrderResponse>> ShipAsync(string orderNo, [Body] ShipmentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces the parcels of a shipped order once (WeChat's one re-upload).</summary>
    [Put("/api/admin/orders/{orderNo}/shipments")]
    Task<IApiResponse<OrderResponse>> CorrectAsync(string orderNo, [Body] ShipmentRequest request, CancellationToken cancellationToken = default);

    [Post("/api/admin/shipments/batch")]
    Task<IApiResponse<BatchShipmentResponse>> ShipBatchAsync([Body] BatchShipmentRequest request, CancellationToken cancellationToken = default);

    [Get("/api/admin/orders/{orderNo}/shipping-upload")]
    Task<IApiResponse<ShippingUploadResponse>> GetUploadAsync(string orderNo, CancellationToken cancellationToken = default);

    [Post("/api/admin/orders/{orderNo}/shipping-upload/retry")]
    Task<IApiResponse<ShippingUploadResponse>> RetryUploadAsync(string orderNo, CancellationToken cancellationToken = default);

    /// <summary>Orders whose upload is <paramref name="state"/> (Pending or Failed), oldest first.</summary>
    [Get("/api/admin/shipping-uploads")]
    Task<IApiResponse<ShippingUploadListResponse>> ListUploadsAsync([Query] string? state = null, [Query] int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/admin/couriers")]
    Task<IApiResponse<CourierListResponse>> ListCouriersAsync(CancellationToken cancellationToken = default);
}

public static class FulfilmentApiClient
{
    public static IFulfilmentApi Create(HttpClient httpClient) =>
        RestService.For<IFulfilmentApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
