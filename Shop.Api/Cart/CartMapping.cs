using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Errors;
using Shop.Client;
using Shop.Client.Cart;
using Shop.Api.Catalog;
using Shop.Grains.Interfaces.Cart;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Api.Cart;

public static class CartMapping
{
    public static CartResponse ToResponse(this CartView cart) => new(
        [.. cart.Lines.Select(l => new CartLineResponse(
            l.SkuId, l.Name, l.UnitPriceFen, l.Quantity, l.SubtotalFen, l.Available, l.OnShelf, l.Purchasable, l.AddedAt,
            l.ProductId, l.Spec?.ToResponse(), l.Spec is null ? null : SpecValue.Text(l.Spec)))],
        cart.TotalFen);

    /// <summary>The answer to a line change: the cart, or the 409 that says why the line was refused.</summary>
    public static Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult> ToResult(this CartOutcome outcome, string skuId) => outcome switch
    {
        { Status: CartOutcomeStatus.Ok, Cart: { } cart } => TypedResults.Ok(cart.ToResponse()),
        { Status: CartOutcomeStatus.TooManyLines } => TypedResults.Problem(
            $"A cart holds at most {SetCartItemRequest.MaxLines} different SKUs: remove one first.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { [ShopProblemDetails.CodeKey] = CartErrorCodes.CartFull, ["maxLines"] = SetCartItemRequest.MaxLines }),
        _ => TypedResults.Problem(
            "This SKU does not exist or is not on sale.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { [ShopProblemDetails.CodeKey] = ShopErrorCodes.ProductUnavailable, ["skuId"] = skuId }),
    };
}
