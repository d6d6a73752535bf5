namespace Shop.Client.Cart;

/// <summary>
/// The cart's own problem codes (next to the shared ones in <see cref="ShopErrorCodes"/>: VALIDATION_FAILED,
/// PRODUCT_UNAVAILABLE, IDEMPOTENCY_KEY_REUSED, ...). Stable: clients branch on them.
/// </summary>
public static class CartErrorCodes
{
    /// <summary>409: the line would be one more than <see cref="SetCartItemRequest.MaxLines"/> distinct SKUs.</summary>
    public const string CartFull = "CART_FULL";

    /// <summary>409: checkout of a cart with no lines.</summary>
    public const string CartEmpty = "CART_EMPTY";
}
