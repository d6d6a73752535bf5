using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Payments;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Client.Payments;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;

namespace Shop.Api.Orders;

/// <summary>
/// <c>POST /api/admin/orders/{orderNo}/refunds</c> with a required Idempotency-Key: the order assigns the refund's
/// out_refund_no on the first sight of the key, so every repeat answers with that same refund and WeChat Pay never
/// sees a second one; the same key with another body is 422.
/// </summary>
public static class RefundEndpoints
{
    public static RouteGroupBuilder MapRefundEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/admin/orders").WithTags("Orders").RequireShopPolicy(ShopPolicies.Admin)
            .MapPost("/{orderNo}/refunds", RefundAsync).WithName("RefundOrder")
            .WithSummary("Refunds all or part of a paid order through WeChat Pay (Idempotency-Key header required).")
            .WithIdempotencyKeyHeader()
            .Validate<CreateRefundRequest>(Check)
            .Produces<RefundResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static void Check(CreateRefundRequest request, ValidationErrors errors) =>
        errors.Check(request.AmountFen is not null, "amountFen", "Required.")
            .Check(request.AmountFen is null or >= 1, "amountFen", "Must be a whole number of fen, at least 1.")
            .Required("reason", request.Reason, CreateRefundRequest.MaxReasonLength)
            // WeChat Pay takes only 1-3 byte UTF-8 characters: an emoji would fail the refund at WeChat Pay, not here.
            .Check(request.Reason is null || !request.Reason.Any(c => char.IsSurrogate(c) || char.IsControl(c)), "reason",
                "Must not contain emoji or control characters.");

    public static async Task<Results<Created<RefundResponse>, ProblemHttpResult, ValidationProblem>> RefundAsync(
        string orderNo, CreateRefundRequest request, HttpContext http, ClaimsPrincipal user, IClusterClient cluster, PaymentsAvailability payments)
    {
        var key = http.Request.Headers[IdempotencyKeys.Header].ToString();
        if (!IdempotencyKeys.IsValidKey(key))
        {
            return ShopProblems.Validation(new ValidationErrors().Add(IdempotencyKeys.Header, "Required: 1 to 64 visible ASCII characters (e.g. a UUID)."));
        }

        if (!payments.Enabled)
        {
            return PaymentsAvailability.NotConfigured();
        }

        if (!OrderNumber.IsValid(orderNo))
        {
            return OrderMapping.OrderNotFound();
        }

        var command = new RefundCommand(key, request.AmountFen!.Value, request.Reason!.Trim());
        var outcome = await cluster.GetGrain<IOrderGrain>(orderNo).RequestRefundAsync(user.Caller(), command);
        if (outcome is { Status: RefundOutcomeStatus.Ok, Refund: { } refund, Order: { } order })
        {
            return TypedResults.Created($"/api/orders/{orderNo}", new RefundResponse(orderNo, refund.OutRefundNo, refund.AmountFen, refund.Reason,
                refund.Status, refund.RequestedAt, refund.UpdatedAt, order.Status.ToString(), order.RefundedFen));
        }

        if (outcome.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return Problem(outcome);
    }

    private static ProblemHttpResult Problem(RefundOutcome outcome)
    {
        var (status, code, detail) = outcome.Status switch
        {
            RefundOutcomeStatus.KeyReused => (StatusCodes.Status422UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused,
                outcome.Detail ?? "This Idempotency-Key was already used with a different request."),
            RefundOutcomeStatus.InvalidTransition => (StatusCodes.Status409Conflict, ShopErrorCodes.InvalidStateTransition,
                outcome.Detail ?? "The order cannot be refunded in its current status."),
            RefundOutcomeStatus.InProgress => (StatusCodes.Status409Conflict, RefundErrorCodes.RefundInProgress,
                outcome.Detail ?? "Another refund of the order has not finished yet."),
            RefundOutcomeStatus.ExceedsPaid => (StatusCodes.Status409Conflict, RefundErrorCodes.RefundExceedsPaid,
                outcome.Detail ?? "The amount is more than what is left to refund."),
            RefundOutcomeStatus.Unavailable => (StatusCodes.Status503ServiceUnavailable, PaymentErrorCodes.PaymentProviderUnavailable,
                outcome.Detail ?? "WeChat Pay is not reachable; send the same request again shortly."),
            RefundOutcomeStatus.Rejected => (StatusCodes.Status502BadGateway, RefundErrorCodes.RefundRejected,
                outcome.Detail ?? "WeChat Pay refused the refund."),
            RefundOutcomeStatus.NotConfigured => (StatusCodes.Status503ServiceUnavailable, PaymentErrorCodes.PaymentsNotConfigured,
                outcome.Detail ?? "WeChat Pay is not configured on this deployment."),
            _ => (StatusCodes.Status404NotFound, ShopErrorCodes.OrderNotFound, "No such order."),
        };
        var extensions = new Dictionary<string, object?> { [ShopProblemDetails.CodeKey] = code };
        if (outcome.RefundableFen is { } refundable)
        {
            extensions["refundableFen"] = refundable;
        }

        if (outcome.Refund is { } refund)
        {
            extensions["outRefundNo"] = refund.OutRefundNo;
        }

        return TypedResults.Problem(detail, statusCode: status, extensions: extensions);
    }
}
