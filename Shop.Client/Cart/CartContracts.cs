using Shop.Client.Catalog;

using Shop.Client.Orders;

namespace Shop.Client.Cart;

/// <summary><c>PUT /api/cart/items/{skuId}</c>: the line's quantity, 1 to <see cref="MaxQuantity"/>.</summary>
public sealed record SetCartItemRequest(int? Quantity)
{
    public const int MaxQuantity = 999;

    /// <summary>Distinct SKUs per cart: the same as an order's lines, so a full cart checks out as one order.</summary>
    public const int MaxLines = CreateOrderRequest.MaxLines;
}

/// <summary><c>POST /api/cart/checkout</c>: where the order goes, exactly as <c>POST /api/orders</c> takes it.</summary>
public sealed record CheckoutCartRequest(ShippingAddressRequest? ShippingAddress, string? Remark, string? AddressId = null);

/// <summary>
/// One cart line with the SKU's current catalog data. <see cref="Name"/>, <see cref="UnitPriceFen"/> and
/// <see cref="SubtotalFen"/> are null when the SKU no longer exists; <see cref="Purchasable"/> says whether checkout could
/// order the line now (on the shelf, and <see cref="Available"/> covers <see cref="Quantity"/>). <see cref="ProductId"/>,
/// <see cref="Spec"/> and <see cref="SpecText"/> ("颜色:白;尺码:L") say which variant of which product the line is.
/// </summary>
public sealed record CartLineResponse(
    string SkuId,
    string? Name,
    long? UnitPriceFen,
    int Quantity,
    long? SubtotalFen,
    long Available,
    bool OnShelf,
    bool Purchasable,
    DateTimeOffset AddedAt,
    string? ProductId,
    IReadOnlyList<SpecValueResponse>? Spec,
    string? SpecText);

/// <summary>The cart, oldest line first; <see cref="TotalFen"/> sums the purchasable lines only.</summary>
public sealed record CartResponse(IReadOnlyList<CartLineResponse> Lines, long TotalFen);
