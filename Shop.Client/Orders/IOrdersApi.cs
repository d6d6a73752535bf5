using Refit;

namespace Shop.Client.Orders;

/// <summary>Orders: customers create and follow their own; admins ship and list all.</summary>
public interface IOrdersApi
{
    /// <summary>201 with the order; a repeat with the same <paramref name="idempotencyKey"/> gets the same answer.</summary>
    [Post("/api/orders")]
    Task<IApiResponse<OrderResponse>> CreateOrderAsync([Body] CreateOrderRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken = default);

    [Get("/api/orders/{orderNo}")]
    Task<IApiResponse<OrderResponse>> GetOrderAsync(string orderNo, CancellationToken cancellationToken = default);

    [Get("/api/orders")]
    Task<IApiResponse<OrderListResponse>> ListOrdersAsync([Query] int? page = null, [Query] int? size = null,
        [Query] string? status = null, CancellationToken cancellationToken = default);

    [Post("/api/orders/{orderNo}/cancel")]
    Task<IApiResponse<OrderResponse>> CancelOrderAsync(string orderNo, CancellationToken cancellationToken = default);

    [Post("/api/orders/{orderNo}/confirm-receipt")]
    Task<IApiResponse<OrderResponse>> ConfirmReceiptAsync(string orderNo, CancellationToken cancellationToken = default);

    [Post("/api/admin/orders/{orderNo}/ship")]
    Task<IApiResponse<OrderResponse>> ShipOrderAsync(string orderNo, [Body] ShipOrderRequest request, CancellationToken cancellationToken = default);

    /// <summary>Refunds part or all of a paid order (admin); a repeat with the same <paramref name="idempotencyKey"/> returns the same refund.</summary>
    [Post("/api/admin/orders/{orderNo}/refunds")]
    Task<IApiResponse<RefundResponse>> RefundOrderAsync(string orderNo, [Body] CreateRefundRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken = default);

    [Get("/api/admin/orders")]
    Task<IApiResponse<OrderListResponse>> ListAllOrdersAsync([Query] string? status = null, [Query] int? page = null,
        [Query] int? size = null, CancellationToken cancellationToken = default);
}

public static class OrdersApiClient
{
    public static IOrdersApi Create(HttpClient httpClient) =>
        RestService.For<IOrdersApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
