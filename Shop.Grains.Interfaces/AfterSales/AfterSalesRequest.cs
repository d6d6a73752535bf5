using Shop.Grains.Interfaces.Ids;

namespace Shop.Grains.Interfaces.AfterSales;

/// <summary>
/// One order line a request covers: the line's position in the order (from 1), how many units, and their refund.
/// <see cref="SkuId"/> is the stock the line was sold from (its hold's SKU), where returned units go back.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesLine")]
public sealed record AfterSalesLine(
    [property: Id(0)] int LineNo,
    [property: Id(1)] string ProductId,
    [property: Id(2)] string Name,
    [property: Id(3)] int Quantity,
    [property: Id(4)] long UnitPriceFen,
    [property: Id(5)] long AmountFen,
    [property: Id(6)] string? SkuId = null)
{
    public string Sku => SkuId ?? ProductId;
}

/// <summary>One move of a request: when, who ("customer:…", "admin:…", "system", "wechatpay"), why.</summary>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesHistoryEntry")]
public sealed record AfterSalesHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] AfterSalesTrigger Trigger,
    [property: Id(3)] AfterSalesStatus? From,
    [property: Id(4)] AfterSalesStatus To,
    [property: Id(5)] string? Reason);

/// <summary>How the customer sent the goods back.</summary>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.ReturnShipment")]
public sealed record ReturnShipment(
    [property: Id(0)] string Carrier,
    [property: Id(1)] string TrackingNo,
    [property: Id(2)] DateTimeOffset SubmittedAt);

/// <summary>
/// An after-sales request (key = <see cref="RequestId"/>, not guessable): what the customer asked for, where it is, and
/// what happened. It is also the stored state of its grain (one row of <c>after_sales_requests</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesRequest")]
public sealed record AfterSalesRequest(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string OrderNo,
    [property: Id(2)] string UserId,
    [property: Id(3)] AfterSalesKind Kind,
    [property: Id(4)] AfterSalesStatus Status,
    [property: Id(5)] IReadOnlyList<AfterSalesLine> Lines,
    [property: Id(6)] long AmountFen,
    [property: Id(7)] string Reason,
    [property: Id(8)] string? Note,
    [property: Id(9)] IReadOnlyList<string> PhotoUrls,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset UpdatedAt,
    [property: Id(12)] DateTimeOffset? DueAt,
    [property: Id(13)] IReadOnlyList<AfterSalesHistoryEntry> History,
    [property: Id(14)] ReturnShipment? ReturnShipment = null,
    [property: Id(15)] bool? Restock = null,
    [property: Id(16)] string? OutRefundNo = null,
    [property: Id(17)] int RefundAttempt = 1,
    [property: Id(18)] bool StockReturned = false)
{
    public const string IdPrefix = "as";

    public static string NewId() => RandomId.New(IdPrefix);

    public static bool IsValidId(string? id) => RandomId.IsValid(id, IdPrefix);
}

/// <summary>Who is asking; admins see and decide every request, customers only their own.</summary>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesCaller")]
public sealed record AfterSalesCaller([property: Id(0)] string UserId, [property: Id(1)] bool IsAdmin)
{
    public string Actor => (IsAdmin ? "admin:" : "customer:") + UserId;
}

[GenerateSerializer, Alias("Shop.AfterSales.AfterSalesOutcomeStatus")]
public enum AfterSalesOutcomeStatus
{
    Ok,
    NotFound,

    /// <summary>The request (or the order) is not in a status that allows this.</summary>
    InvalidTransition,

    /// <summary>The order cannot take an after-sales request (unpaid, cancelled, fully refunded, a return before shipping).</summary>
    NotEligible,

    /// <summary>Past the after-sales window after completion.</summary>
    WindowClosed,

    /// <summary>A line already has an open request.</summary>
    LineBusy,

    /// <summary>More units or money than the lines have left to refund.</summary>
    ExceedsRefundable,

    /// <summary>A line number the order does not have.</summary>
    UnknownLine,
}

[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesOutcome")]
public sealed record AfterSalesOutcome(
    [property: Id(0)] AfterSalesOutcomeStatus Status,
    [property: Id(1)] AfterSalesRequest? Request = null,
    [property: Id(2)] string? Detail = null,
    [property: Id(3)] long? RefundableFen = null,
    [property: Id(4)] int? LineNo = null,
    [property: Id(5)] string? OpenRequestId = null)
{
    public static AfterSalesOutcome NotFound { get; } = new(AfterSalesOutcomeStatus.NotFound);

    public static AfterSalesOutcome Ok(AfterSalesRequest request) => new(AfterSalesOutcomeStatus.Ok, request);
}
