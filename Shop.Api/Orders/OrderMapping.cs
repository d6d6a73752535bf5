using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;

namespace Shop.Api.Orders;

public static class OrderMapping
{
    public static OrderCaller Caller(this ClaimsPrincipal user) => new(user.Subject(), user.Roles().Contains(ShopRoles.Admin));

    public static OrderResponse ToResponse(this OrderView order) => new(
        order.OrderNo,
        order.Status.ToString(),
        [.. order.Lines.Select(OrderItemSkus.ToResponse)],
        order.TotalFen,
        new ShippingAddressResponse(order.Shipping.Name, order.Shipping.Phone, order.Shipping.Province, order.Shipping.City,
            order.Shipping.District, order.Shipping.Detail, order.Shipping.RegionCode),
        order.Remark,
        order.CreatedAt,
        order.ExpiresAt,
        order.UpdatedAt,
        order.Payments.FirstOrDefault(p => !p.NeedsRefund)?.PaidAt,
        order.Shipment is { } s ? new ShipmentResponse(s.Carrier, s.TrackingNo, s.ShippedAt) : null,
        [.. order.History.Select(h => new OrderHistoryResponse(h.At, h.Actor, h.Trigger.ToString(), h.From.ToString(), h.To.ToString(), h.Reason))],
        order.RefundedFen,
        [.. order.Refunds.Select(r => new OrderRefundResponse(r.OutRefundNo, r.AmountFen, r.Reason, r.Status, r.RequestedAt, r.UpdatedAt))],
        Fulfilment.FulfilmentMapping.ToResponse(order.Fulfilment),
        order.GoodsFen,
        order.ShippingFeeFen);

    public static OrderListResponse ToResponse(this OrderListPage page, OrderListQuery query) => new(
        [.. page.Items.Select(i => new OrderSummaryResponse(i.OrderNo, i.Status.ToString(), i.TotalFen, i.CreatedAt, i.UpdatedAt))],
        query.Page, query.Size, page.Total);

    public static ProblemHttpResult OrderNotFound() =>
        ShopProblems.NotFound(ShopErrorCodes.OrderNotFound, "No such order.");

    /// <summary>The problem for an outcome that is not Ok (404, or 409 with its code and the products concerned).</summary>
    public static ProblemHttpResult Problem(OrderOutcome outcome)
    {
        var (code, detail) = outcome.Status switch
        {
            OrderOutcomeStatus.NotFound => (ShopErrorCodes.OrderNotFound, "No such order."),
            OrderOutcomeStatus.ProductUnavailable => (ShopErrorCodes.ProductUnavailable, outcome.Detail ?? "A product is not available."),
            OrderOutcomeStatus.OutOfStock => (ShopErrorCodes.OutOfStock, outcome.Detail ?? "A product is out of stock."),
            OrderOutcomeStatus.Unavailable => (ShopErrorCodes.ServiceUnavailable, outcome.Detail ?? "Temporarily unavailable; nothing changed. Retry shortly."),
            _ when Campaigns.CampaignOrderProblems.CodeOf(outcome.Status) is { } campaignCode => (campaignCode, outcome.Detail ?? campaignCode),
            _ when Shipping.ShippingMapping.CodeOf(outcome.Status) is { } shippingCode => (shippingCode, outcome.Detail ?? shippingCode),
            _ => (ShopErrorCodes.InvalidStateTransition, outcome.Detail ?? "The order cannot do that in its current status."),
        };
        var status = outcome.Status switch
        {
            OrderOutcomeStatus.NotFound => StatusCodes.Status404NotFound,
            OrderOutcomeStatus.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status409Conflict,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (outcome.Products is { Count: > 0 } products)
        {
            extensions["products"] = products.Select(OrderItemSkus.ToProblem).ToArray();
        }

        Campaigns.CampaignOrderProblems.AddExtensions(outcome, extensions);
        Shipping.ShippingMapping.AddExtensions(outcome, extensions);

        return TypedResults.Problem(detail, statusCode: status, extensions: extensions);
    }

    public static Results<Ok<OrderResponse>, ProblemHttpResult> ToResult(this OrderOutcome outcome) =>
        outcome is { Status: OrderOutcomeStatus.Ok, Order: { } order } ? TypedResults.Ok(order.ToResponse()) : Problem(outcome);

    /// <summary>As <see cref="ToResult(OrderOutcome)"/>, plus Retry-After when the outcome says when to try again.</summary>
    public static Results<Ok<OrderResponse>, ProblemHttpResult> ToResult(this OrderOutcome outcome, HttpContext http)
    {
        if (outcome.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return outcome.ToResult();
    }

    public static bool TryParseStatus(string? raw, out OrderStatus? status)
    {
        status = null;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (Enum.TryParse<OrderStatus>(raw, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(raw[0]))
        {
            status = parsed;
            return true;
        }

        return false;
    }
}
