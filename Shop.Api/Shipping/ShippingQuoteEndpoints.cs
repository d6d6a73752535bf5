using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Orders;
using Shop.Client;
using Shop.Client.Cart;
using Shop.Client.Orders;
using Shop.Client.Shipping;
using Shop.Grains.Interfaces.Cart;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Shipping;
using Shop.Hosting;

namespace Shop.Api.Shipping;

/// <summary>
/// Quotes before ordering: <c>POST /api/shipping/quote</c> for lines, <c>GET /api/cart/quote</c> for the cart. The same
/// catalog lookup and freight templates as order creation, so the quote is the order's total (at catalog prices).
/// </summary>
public static class ShippingQuoteEndpoints
{
    public static RouteGroupBuilder MapShippingQuoteEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/shipping/quote", QuoteAsync).WithName("QuoteShipping").WithTags("Shipping").RequireShopPolicy(ShopPolicies.Customer)
            .WithSummary("Goods amount, shipping fee per freight template and total for lines shipped to an address.")
            .Validate<ShippingQuoteRequest>(Check)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/cart/quote", QuoteCartAsync).WithName("QuoteCart").WithTags("Cart").RequireShopPolicy(ShopPolicies.Customer)
            .WithSummary("The cart's goods amount, shipping fee and total to a saved address (the default one when addressId is omitted).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<ShippingQuoteResponse>, ValidationProblem, ProblemHttpResult>> QuoteAsync(
        ShippingQuoteRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        string? district = request.RegionCode?.Trim();
        if (district is null)
        {
            if (await DeliveryAddresses.ResolveAsync(request.ShippingAddress, request.AddressId, user.Subject(), cluster) is not { } address)
            {
                return DeliveryAddresses.AddressNotFound();
            }

            district = address.RegionCode!;
        }

        var items = request.Items!.Select(i => new OrderItem(OrderItemSkus.Sku(i)!, i.Quantity!.Value, i.CampaignId)).ToList();
        return ToResult(await cluster.GetGrain<IShippingQuoteGrain>(0).QuoteAsync(items, district), district);
    }

    public static async Task<Results<Ok<ShippingQuoteResponse>, ValidationProblem, ProblemHttpResult>> QuoteCartAsync(
        string? addressId, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (addressId is not null && !SavedAddress.IsValidId(addressId))
        {
            return ShopProblems.Validation(new ValidationErrors().Add("addressId", "Not an address id (GET /api/me/addresses)."));
        }

        var book = cluster.GetGrain<IAddressBookGrain>(user.Subject());
        var address = addressId is null ? (await book.ListAsync()).FirstOrDefault(a => a.IsDefault) : await book.GetAsync(addressId);
        if (address is null)
        {
            return addressId is null
                ? ShopProblems.Validation(new ValidationErrors().Add("addressId", "Required: the address book has no default address."))
                : DeliveryAddresses.AddressNotFound();
        }

        if (DeliveryAddresses.Current(address.Address) is null)
        {
            return DeliveryAddresses.AddressNotFound();
        }

        var cart = await cluster.GetGrain<ICartGrain>(user.Subject()).GetAsync();
        if (cart.Lines.Count == 0)
        {
            return ShopProblems.Conflict(CartErrorCodes.CartEmpty, "The cart has no lines to quote.");
        }

        var district = address.Address.RegionCode!;
        var items = cart.Lines.Select(l => new OrderItem(l.SkuId, l.Quantity)).ToList();
        return ToResult(await cluster.GetGrain<IShippingQuoteGrain>(0).QuoteAsync(items, district), district);
    }

    private static void Check(ShippingQuoteRequest request, ValidationErrors errors)
    {
        if (request.Items is not { Count: >= 1 and <= CreateOrderRequest.MaxLines } items)
        {
            errors.Add("items", $"Between 1 and {CreateOrderRequest.MaxLines} lines.");
        }
        else
        {
            for (var i = 0; i < items.Count; i++)
            {
                OrderItemSkus.Check(items[i], $"items[{i}]", errors);
                errors.Range($"items[{i}].quantity", items[i]?.Quantity, 1, CreateOrderRequest.MaxQuantity);
            }
        }

        var given = new[] { request.AddressId is not null, request.ShippingAddress is not null, request.RegionCode is not null }.Count(g => g);
        if (given != 1)
        {
            errors.Add("addressId", "Give exactly one of addressId, shippingAddress and regionCode.");
        }
        else if (request.AddressId is { } addressId)
        {
            errors.Check(SavedAddress.IsValidId(addressId), "addressId", "Not an address id (GET /api/me/addresses).");
        }
        else if (request.ShippingAddress is { } address)
        {
            DeliveryAddresses.Check(address, "shippingAddress.", errors);
        }
        else
        {
            errors.Check(RegionTable.Embedded.ResolveDistrict(request.RegionCode!.Trim()) is not null, "regionCode",
                "Not a district code of the national region table (6 digits, GB/T 2260, e.g. 330106).");
        }
    }

    private static Results<Ok<ShippingQuoteResponse>, ValidationProblem, ProblemHttpResult> ToResult(QuoteOutcome outcome, string district)
    {
        if (outcome.Quote is not { } quote)
        {
            return TypedResults.Problem($"Not available: {string.Join(", ", outcome.Unavailable)}.", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = ShopErrorCodes.ProductUnavailable,
                    ["products"] = outcome.Unavailable.Select(s => new { ProductId = Grains.Interfaces.Catalog.SkuId.ProductOf(s), SkuId = s }).ToArray(),
                });
        }

        if (!quote.Delivers)
        {
            var where = RegionTable.Embedded.ResolveDistrict(district)?.ToString() ?? district;
            return TypedResults.Problem($"Not delivered to {where}: {string.Join(", ", quote.NotDelivered.Select(l => l.SkuId))}.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?>
                {
                    ["code"] = ShippingErrorCodes.ShippingNotDelivered,
                    ["lines"] = ShippingMapping.NotDeliveredLines(quote.NotDelivered),
                });
        }

        return TypedResults.Ok(quote.ToResponse(district));
    }
}
