using Refit;
using Shop.Client.Orders;

namespace Shop.Client.Cart;

/// <summary>The caller's cart (customer token): lines by SKU, checked out into an order.</summary>
public interface ICartApi
{
    [Get("/api/cart")]
    Task<IApiResponse<CartResponse>> GetCartAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the SKU or sets its quantity; 409 PRODUCT_UNAVAILABLE when it is unknown or off the shelf, CART_FULL past the line limit.</summary>
    [Put("/api/cart/items/{skuId}")]
    Task<IApiResponse<CartResponse>> SetItemAsync(string skuId, [Body] SetCartItemRequest request, CancellationToken cancellationToken = default);

    [Delete("/api/cart/items/{skuId}")]
    Task<IApiResponse<CartResponse>> RemoveItemAsync(string skuId, CancellationToken cancellationToken = default);

    [Delete("/api/cart")]
    Task<IApiResponse> ClearAsync(CancellationToken cancellationToken = default);

    /// <summary>201 with the order, and its lines leave the cart; a repeat with the same <paramref name="idempotencyKey"/> gets the same answer.</summary>
    [Post("/api/cart/checkout")]
    Task<IApiResponse<OrderResponse>> CheckoutAsync([Body] CheckoutCartRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken = default);
}

public static class CartApiClient
{
    public static ICartApi Create(HttpClient httpClient) =>
        RestService.For<ICartApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
