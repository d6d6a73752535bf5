namespace Shop.Client.AfterSales;

/// <summary>
/// <c>POST /api/orders/{orderNo}/after-sales</c>: <see cref="Kind"/> is one of <see cref="AfterSalesKinds"/>; each line
/// names the order line by its position in the order's <c>lines</c> (from 1) and how many of its units.
/// </summary>
public sealed record CreateAfterSalesRequest(string? Kind, IReadOnlyList<AfterSalesLineBody>? Lines, string? Reason, string? Note, IReadOnlyList<string>? PhotoUrls)
{
    public const int MaxLines = 50;
    public const int MaxReasonLength = 200;
    public const int MaxNoteLength = 500;
    public const int MaxPhotos = 9;
    public const int MaxPhotoUrlLength = 500;
}

public sealed record AfterSalesLineBody(int? Line, int? Quantity);

/// <summary>The return courier (e.g. SF) and tracking number, within the return shipping deadline.</summary>
public sealed record SubmitReturnShipmentRequest(string? Carrier, string? TrackingNo)
{
    public const int MaxLength = 64;
}

/// <summary>An admin's decision: the reason is optional to approve, required to reject a request or the returned goods.</summary>
public sealed record AfterSalesDecisionRequest(string? Reason)
{
    public const int MaxReasonLength = 200;
}

/// <summary>The merchant has the goods back; <see cref="Restock"/>: they go back into available stock (required).</summary>
public sealed record ConfirmReturnReceiptRequest(bool? Restock);

/// <summary>A line of a request; <see cref="SkuId"/> is the stock its units were sold from (and go back to when restocked).</summary>
public sealed record AfterSalesLineResponse(int Line, string ProductId, string SkuId, string Name, int Quantity, long UnitPriceFen, long AmountFen);

public sealed record AfterSalesHistoryResponse(DateTimeOffset At, string Actor, string Trigger, string? From, string To, string? Reason);

public sealed record ReturnShipmentResponse(string Carrier, string TrackingNo, DateTimeOffset SubmittedAt);

/// <summary>
/// One after-sales request. <see cref="Status"/> is one of <see cref="AfterSalesStatuses"/>; <see cref="DueAt"/> is when
/// it acts by itself (automatic approval, the return deadline) if nobody does first.
/// </summary>
public sealed record AfterSalesResponse(
    string RequestId,
    string OrderNo,
    string Kind,
    string Status,
    IReadOnlyList<AfterSalesLineResponse> Lines,
    long AmountFen,
    string Reason,
    string? Note,
    IReadOnlyList<string> PhotoUrls,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DueAt,
    ReturnShipmentResponse? ReturnShipment,
    bool? Restock,
    string? OutRefundNo,
    IReadOnlyList<AfterSalesHistoryResponse> History);

/// <summary>A page of requests, oldest first, and how many requests are in each status (the merchant's to-do list).</summary>
public sealed record AfterSalesListResponse(IReadOnlyList<AfterSalesResponse> Items, int Page, int Size, long Total, IReadOnlyDictionary<string, long> Counts)
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;
    public const int MaxPage = 10_000;
}

public static class AfterSalesKinds
{
    /// <summary>仅退款: the money back, nothing is sent back.</summary>
    public const string RefundOnly = "RefundOnly";

    /// <summary>退货退款: the goods come back first, then the money.</summary>
    public const string ReturnAndRefund = "ReturnAndRefund";

    public static IReadOnlyList<string> All { get; } = [RefundOnly, ReturnAndRefund];
}

public static class AfterSalesStatuses
{
    /// <summary>To review: waiting for the merchant (approved automatically after the merchant response time).</summary>
    public const string Requested = "Requested";

    /// <summary>Waiting for the return: the customer sends the goods back before the return deadline.</summary>
    public const string AwaitingReturn = "AwaitingReturn";

    /// <summary>Waiting for the return: sent back, the merchant confirms receipt.</summary>
    public const string ReturnShipped = "ReturnShipped";

    /// <summary>To refund: the refund goes through WeChat Pay.</summary>
    public const string Refunding = "Refunding";

    public const string Refunded = "Refunded";
    public const string Rejected = "Rejected";
    public const string Withdrawn = "Withdrawn";
    public const string Closed = "Closed";
    public const string GoodsRejected = "GoodsRejected";
}

public static class AfterSalesErrorCodes
{
    /// <summary>404: no such request for this caller (or not of this order).</summary>
    public const string AfterSalesNotFound = "AFTER_SALES_NOT_FOUND";

    /// <summary>409: the order cannot take a request (unpaid, cancelled, fully refunded, or a return before it shipped).</summary>
    public const string AfterSalesNotEligible = "AFTER_SALES_NOT_ELIGIBLE";

    /// <summary>409: the order was completed longer ago than the after-sales window.</summary>
    public const string AfterSalesWindowClosed = "AFTER_SALES_WINDOW_CLOSED";

    /// <summary>409: a line already has an open request (the problem names <c>line</c> and <c>openRequestId</c>).</summary>
    public const string AfterSalesLineBusy = "AFTER_SALES_LINE_BUSY";

    /// <summary>409: more units or money than the lines have left to refund (the problem carries <c>refundableFen</c>).</summary>
    public const string AfterSalesExceedsRefundable = "AFTER_SALES_EXCEEDS_REFUNDABLE";
}
