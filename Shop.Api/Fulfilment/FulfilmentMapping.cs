using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Errors;
using Shop.Api.Orders;
using Shop.Client;
using Shop.Client.Fulfilment;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Api.Fulfilment;

public static class FulfilmentMapping
{
    public static FulfilmentResponse? ToResponse(OrderFulfilment? fulfilment) => fulfilment is null ? null : new(
        fulfilment.LogisticsType.ToString(),
        [.. fulfilment.Parcels.Select(p => new ParcelResponse(p.Number, p.Courier,
            p.Courier is null || fulfilment.LogisticsType != LogisticsType.Express ? null : DeliveryCompanies.Embedded.Find(p.Courier)?.DeliveryName,
            p.TrackingNo, [.. p.Lines.Select(l => new ParcelLineResponse(l.SkuId, l.Quantity))]))],
        fulfilment.ShippedAt,
        fulfilment.CorrectedAt,
        fulfilment.Partial);

    public static ShippingUploadResponse ToResponse(string orderNo, ShippingUpload upload) => new(orderNo, upload.State.ToString(), upload.Attempts,
        upload.QueuedAt, upload.NextAttemptAt, upload.UploadedAt, upload.ErrorCode, upload.ErrorMessage, upload.IsReupload);

    /// <summary>A request the rules passed: names are trimmed, a parcel without lines is "every line".</summary>
    public static ShipCommand ToCommand(string logisticsType, IReadOnlyList<ParcelRequest>? parcels, bool partial = false) => new(
        Enum.Parse<LogisticsType>(logisticsType),
        [.. (parcels ?? []).Select(p => new ParcelSpec(p.Courier?.Trim(), p.TrackingNo?.Trim(),
            [.. (p.Lines ?? []).Select(l => new ParcelLine(l.SkuId!.Trim(), l.Quantity!.Value))]))], partial);

    public static ProblemHttpResult Problem(ShipOutcome outcome) => outcome.Status switch
    {
        ShipStatus.NotFound => OrderMapping.OrderNotFound(),
        ShipStatus.LinesMismatch => ShopProblems.Problem(StatusCodes.Status422UnprocessableEntity, FulfilmentErrorCodes.ShipmentLinesMismatch,
            outcome.Detail ?? "The parcels do not hold the order's lines."),
        ShipStatus.ReuploadUsed => ShopProblems.Conflict(FulfilmentErrorCodes.ShippingReuploadUsed, outcome.Detail ?? "The one correction was used."),
        ShipStatus.NothingToRetry => ShopProblems.Conflict(FulfilmentErrorCodes.ShippingUploadNotFailed, outcome.Detail ?? "Nothing to retry."),
        _ => ShopProblems.Conflict(ShopErrorCodes.InvalidStateTransition, outcome.Detail ?? "The order cannot do that in its current status."),
    };

    public static int StatusOf(ShipOutcome outcome) => outcome.Status switch
    {
        ShipStatus.Ok => StatusCodes.Status200OK,
        ShipStatus.NotFound => StatusCodes.Status404NotFound,
        ShipStatus.LinesMismatch => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status409Conflict,
    };

    public static string? CodeOf(ShipOutcome outcome) => outcome.Status == ShipStatus.Ok
        ? null
        : Problem(outcome).ProblemDetails.Extensions.TryGetValue("code", out var code) ? code as string : null;

    public static Results<Ok<OrderResponse>, ProblemHttpResult> ToResult(this ShipOutcome outcome) =>
        outcome is { Status: ShipStatus.Ok, Order: { } order } ? TypedResults.Ok(order.ToResponse()) : Problem(outcome);
}
