using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.Cart;

/// <summary>
/// One customer's cart, keyed by the user's token subject (<c>sub</c>). Lines name SKUs (today a product id is its
/// only SKU id), so variants can come without changing the cart. A cart never reserves stock: checkout does, through
/// the same order creation as <c>POST /api/orders</c>.
/// </summary>
[Alias("Shop.Cart.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    /// <summary>Adds the line, or sets its quantity when the SKU is already in the cart (its added-at is kept).</summary>
    [Alias("SetQuantity")]
    Task<CartOutcome> SetQuantityAsync(string skuId, int quantity);

    /// <summary>Removes the line; a SKU that is not in the cart changes nothing.</summary>
    [Alias("Remove")]
    Task<CartOutcome> RemoveAsync(string skuId);

    [Alias("Clear")]
    Task ClearAsync();

    /// <summary>The lines with each SKU's current name, price, shelf state and available stock.</summary>
    [Alias("Get")]
    Task<CartView> GetAsync();

    /// <summary>
    /// Orders every line under <paramref name="idempotencyKey"/> (scoped by <see cref="CartCheckoutKeys.Scoped"/>). On
    /// 201 the ordered lines leave the cart; a repeat of a key this cart checked out replays the stored answer even though
    /// those lines are gone. Calls on one cart run one at a time, so concurrent checkouts cannot both order the lines.
    /// </summary>
    [Alias("Checkout")]
    Task<CartCheckout> CheckoutAsync(string idempotencyKey, string requestHash, ShippingAddress shipping, string? remark, string? traceId);
}

public static class CartLimits
{
    /// <summary>Lines per cart: the same as an order's, so a full cart can always be checked out in one order.</summary>
    public const int MaxLines = 50;

    public const int MinQuantity = 1;
    public const int MaxQuantity = 999;

    /// <summary>How many of its recent checkouts a cart remembers (within <see cref="IdempotencyKeys.Retention"/>) to replay them.</summary>
    public const int RememberedCheckouts = 100;
}

public static class CartCheckoutKeys
{
    /// <summary>
    /// The idempotency table key of a cart checkout: the caller's key prefixed "cart:" inside the caller's scope, so the
    /// same Idempotency-Key sent to <c>POST /api/orders</c> and to <c>POST /api/cart/checkout</c> names two requests.
    /// </summary>
    public static string Scoped(string userId, string key) => IdempotencyKeys.GrainKey(userId, "cart:" + key);
}

[GenerateSerializer, Alias("Shop.Cart.CartOutcomeStatus")]
public enum CartOutcomeStatus
{
    Ok,

    /// <summary>The SKU does not exist, was deleted or is not on the shelf.</summary>
    SkuUnavailable,

    /// <summary>Adding the line would exceed <see cref="CartLimits.MaxLines"/>.</summary>
    TooManyLines,
}

[GenerateSerializer, Immutable, Alias("Shop.Cart.CartOutcome")]
public sealed record CartOutcome(
    [property: Id(0)] CartOutcomeStatus Status,
    [property: Id(1)] CartView? Cart = null);

/// <summary>The cart as a shopper sees it now; <see cref="TotalFen"/> counts only the lines that can be bought.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Cart.CartView")]
public sealed record CartView(
    [property: Id(0)] IReadOnlyList<CartLineView> Lines,
    [property: Id(1)] long TotalFen);

/// <param name="Name">Null when the SKU no longer exists (deleted or never created).</param>
/// <param name="UnitPriceFen">The current price; null when the SKU no longer exists.</param>
/// <param name="Available">Units on sale now (0 when off the shelf).</param>
/// <param name="ProductId">The SKU's product; null when the SKU no longer exists.</param>
/// <param name="Spec">The SKU's option values (empty for a product without options); null when the SKU no longer exists.</param>
[GenerateSerializer, Immutable, Alias("Shop.Cart.CartLineView")]
public sealed record CartLineView(
    [property: Id(0)] string SkuId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] DateTimeOffset AddedAt,
    [property: Id(3)] string? Name,
    [property: Id(4)] long? UnitPriceFen,
    [property: Id(5)] bool OnShelf,
    [property: Id(6)] long Available,
    [property: Id(20)] string? ProductId = null,
    [property: Id(21)] IReadOnlyList<Catalog.SpecValue>? Spec = null)
{
    public long? SubtotalFen => UnitPriceFen * Quantity;

    /// <summary>On the shelf with enough stock for the whole quantity: what checkout would order now.</summary>
    public bool Purchasable => OnShelf && UnitPriceFen is not null && Available >= Quantity;
}

[GenerateSerializer, Alias("Shop.Cart.CartCheckoutStatus")]
public enum CartCheckoutStatus
{
    /// <summary>Order creation answered (or refused the key): <see cref="CartCheckout.Order"/>.</summary>
    Ordered,

    /// <summary>Nothing to check out, and the key is not one of this cart's checkouts.</summary>
    Empty,
}

[GenerateSerializer, Immutable, Alias("Shop.Cart.CartCheckout")]
public sealed record CartCheckout(
    [property: Id(0)] CartCheckoutStatus Status,
    [property: Id(1)] IdempotentOrder? Order)
{
    public static CartCheckout Empty { get; } = new(CartCheckoutStatus.Empty, null);
}
