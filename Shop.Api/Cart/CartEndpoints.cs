using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Orders;
using Shop.Client.Cart;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Cart;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Shop.Api.Cart;

/// <summary>
/// <c>/api/cart</c>: the caller's own cart (one <see cref="ICartGrain"/> per token subject). Lines name SKUs; a line is
/// only added while its SKU is on the shelf (409 PRODUCT_UNAVAILABLE otherwise, also for an id that never existed: the
/// caller cannot tell a removed product from a mistyped one, and a cart line for either would be useless). The cart
/// never reserves stock; checkout orders every line through the same path as <c>POST /api/orders</c>.
/// </summary>
public static class CartEndpoints
{
    public static RouteGroupBuilder MapCartEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cart").WithTags("Cart").RequireShopPolicy(ShopPolicies.Customer);
        group.MapGet("/", GetAsync).WithName("GetCart")
            .WithSummary("The caller's cart with current names, prices and stock; the total counts purchasable lines.");
        group.MapPut("/items/{skuId}", SetItemAsync).WithName("SetCartItem")
            .WithSummary("Adds a SKU to the cart or sets its quantity (1 to 999; at most 50 SKUs).")
            .Validate<SetCartItemRequest>((r, e) => e.Range("quantity", r.Quantity, CartLimits.MinQuantity, CartLimits.MaxQuantity));
        group.MapDelete("/items/{skuId}", RemoveItemAsync).WithName("RemoveCartItem")
            .WithSummary("Removes a SKU from the cart (a SKU not in it changes nothing).");
        group.MapDelete("/", ClearAsync).WithName("ClearCart").WithSummary("Empties the cart.");
        group.MapPost("/checkout", CheckoutAsync).WithName("CheckoutCart")
            .WithSummary("Orders every line of the cart (Idempotency-Key header required); on 201 the lines leave the cart.")
            .WithIdempotencyKeyHeader()
            .Validate<CheckoutCartRequest>((r, e) => OrderRequestRules.CheckDelivery(r.ShippingAddress, r.Remark, e, r.AddressId))
            .Produces<OrderResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    public static async Task<Ok<CartResponse>> GetAsync(ClaimsPrincipal user, IClusterClient cluster) =>
        TypedResults.Ok((await Cart(user, cluster).GetAsync()).ToResponse());

    public static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> SetItemAsync(
        string skuId, SetCartItemRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        SkuId.IsValid(skuId)
            ? (await Cart(user, cluster).SetQuantityAsync(skuId, request.Quantity!.Value)).ToResult(skuId)
            : MalformedSku();

    public static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> RemoveItemAsync(
        string skuId, ClaimsPrincipal user, IClusterClient cluster) =>
        SkuId.IsValid(skuId) ? (await Cart(user, cluster).RemoveAsync(skuId)).ToResult(skuId) : MalformedSku();

    public static async Task<NoContent> ClearAsync(ClaimsPrincipal user, IClusterClient cluster)
    {
        await Cart(user, cluster).ClearAsync();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The request hash covers the body only (address and remark), not the cart's lines: a retry after a successful
    /// checkout, when the lines are gone, is the same request and replays the 201. Keys are scoped apart from
    /// <c>POST /api/orders</c> keys (<see cref="CartCheckoutKeys.Scoped"/>).
    /// </summary>
    public static async Task<IResult> CheckoutAsync(CheckoutCartRequest request, HttpContext http, ClaimsPrincipal user,
        IClusterClient cluster, IOptions<HttpJsonOptions> json)
    {
        var key = http.Request.Headers[IdempotencyKeys.Header].ToString();
        if (!IdempotencyKeys.IsValidKey(key))
        {
            return ShopProblems.Validation(new ValidationErrors().Add(IdempotencyKeys.Header, "Required: 1 to 64 visible ASCII characters (e.g. a UUID)."));
        }

        var options = json.Value.SerializerOptions;
        var userId = user.Subject();
        if (await Shipping.DeliveryAddresses.ResolveAsync(request.ShippingAddress, request.AddressId, userId, cluster) is not { } shipping)
        {
            return Shipping.DeliveryAddresses.UnknownAddress();
        }

        var checkout = await Cart(user, cluster).CheckoutAsync(
            CartCheckoutKeys.Scoped(userId, key),
            IdempotencyKeys.RequestHash(JsonSerializer.SerializeToUtf8Bytes(request, options)),
            shipping,
            OrderRequestRules.NormalizeRemark(request.Remark),
            ShopProblemDetails.TraceId(http));
        return checkout is { Status: CartCheckoutStatus.Ordered, Order: { } created }
            ? CreateOrderEndpoint.ToHttpResult(created, options)
            : ShopProblems.Conflict(CartErrorCodes.CartEmpty, "The cart has no lines to check out.");
    }

    private static ICartGrain Cart(ClaimsPrincipal user, IClusterClient cluster) => cluster.GetGrain<ICartGrain>(user.Subject());

    private static ValidationProblem MalformedSku() =>
        ShopProblems.Validation(new ValidationErrors().Add("skuId", "Must be a SKU id (a product id for a product without options, or a variant's skuId)."));
}
