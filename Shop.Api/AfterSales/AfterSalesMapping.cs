using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client;
using Shop.Client.AfterSales;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Hosting;

namespace Shop.Api.AfterSales;

public static class AfterSalesMapping
{
    public static AfterSalesCaller AfterSalesCaller(this ClaimsPrincipal user) => new(user.Subject(), user.Roles().Contains(ShopRoles.Admin));

    public static AfterSalesResponse ToResponse(this AfterSalesRequest r) => new(
        r.RequestId, r.OrderNo, r.Kind.ToString(), r.Status.ToString(),
        [.. r.Lines.Select(l => new AfterSalesLineResponse(l.LineNo, l.ProductId, l.Sku, l.Name, l.Quantity, l.UnitPriceFen, l.AmountFen))],
        r.AmountFen, r.Reason, r.Note, r.PhotoUrls, r.CreatedAt, r.UpdatedAt, r.DueAt,
        r.ReturnShipment is { } s ? new ReturnShipmentResponse(s.Carrier, s.TrackingNo, s.SubmittedAt) : null,
        r.Restock, r.OutRefundNo,
        [.. r.History.Select(h => new AfterSalesHistoryResponse(h.At, h.Actor, h.Trigger.ToString(), h.From?.ToString(), h.To.ToString(), h.Reason))]);

    public static AfterSalesListResponse ToResponse(this AfterSalesListPage page, AfterSalesListQuery query) => new(
        [.. page.Items.Select(i => i.ToResponse())], query.Page, query.Size, page.Total,
        Enum.GetValues<AfterSalesStatus>().ToDictionary(s => s.ToString(), s => page.Counts.GetValueOrDefault(s)));

    public static ProblemHttpResult NotFound() =>
        ShopProblems.NotFound(AfterSalesErrorCodes.AfterSalesNotFound, "No such after-sales request.");

    /// <summary>The answer to an outcome: 200 with the request, or its problem with a stable code.</summary>
    public static Results<Ok<AfterSalesResponse>, ProblemHttpResult> ToResult(this AfterSalesOutcome outcome) =>
        outcome is { Status: AfterSalesOutcomeStatus.Ok, Request: { } request } ? TypedResults.Ok(request.ToResponse()) : Problem(outcome);

    public static ProblemHttpResult Problem(AfterSalesOutcome outcome)
    {
        var (status, code, detail) = outcome.Status switch
        {
            AfterSalesOutcomeStatus.InvalidTransition => (StatusCodes.Status409Conflict, ShopErrorCodes.InvalidStateTransition,
                outcome.Detail ?? "The request cannot do that in its current status."),
            AfterSalesOutcomeStatus.NotEligible => (StatusCodes.Status409Conflict, AfterSalesErrorCodes.AfterSalesNotEligible,
                outcome.Detail ?? "The order cannot take an after-sales request."),
            AfterSalesOutcomeStatus.WindowClosed => (StatusCodes.Status409Conflict, AfterSalesErrorCodes.AfterSalesWindowClosed,
                outcome.Detail ?? "The after-sales window of this order has closed."),
            AfterSalesOutcomeStatus.LineBusy => (StatusCodes.Status409Conflict, AfterSalesErrorCodes.AfterSalesLineBusy,
                outcome.Detail ?? "A line already has an open after-sales request."),
            AfterSalesOutcomeStatus.ExceedsRefundable => (StatusCodes.Status409Conflict, AfterSalesErrorCodes.AfterSalesExceedsRefundable,
                outcome.Detail ?? "More than the lines have left to refund."),
            _ => (StatusCodes.Status404NotFound, AfterSalesErrorCodes.AfterSalesNotFound, "No such after-sales request."),
        };
        var extensions = new Dictionary<string, object?> { [ShopProblemDetails.CodeKey] = code };
        if (outcome.RefundableFen is { } refundable)
        {
            extensions["refundableFen"] = refundable;
        }

        if (outcome.LineNo is { } line)
        {
            extensions["line"] = line;
        }

        if (outcome.OpenRequestId is { } open)
        {
            extensions["openRequestId"] = open;
        }

        return TypedResults.Problem(detail, statusCode: status, extensions: extensions);
    }
}
