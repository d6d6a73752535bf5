namespace Shop.Client.Reconciliation;

/// <summary>
/// One bill date's reconciliation against WeChat Pay's bills (dates are Beijing time, yyyy-MM-dd). status: running,
/// completed, waiting (WeChat Pay is still making the bills: error holds its answer, waitingSince the first such answer;
/// asked again automatically for a bounded time) or failed (retried automatically, except after waiting too long); the
/// counts are those of the latest completed attempt.
/// </summary>
public sealed record BillRunResponse(
    string BillDate,
    string Status,
    int Attempt,
    string RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int TradeRows,
    int FundRows,
    int Matched,
    int Differences,
    int Settled,
    string? Error,
    DateTimeOffset? WaitingSince = null);

public sealed record BillRunListResponse(IReadOnlyList<BillRunResponse> Items)
{
    public const int DefaultLimit = 31;
    public const int MaxLimit = 366;
}

/// <summary>
/// A difference between WeChat Pay's bills and the shop's records. kind: PAID_NOT_RECORDED, UNKNOWN_PAYMENT,
/// MISSING_FROM_BILL, AMOUNT_MISMATCH, REFUND_MISMATCH, REFUND_MISSING_FROM_BILL, PAYMENT_REVOKED, FEE_TOTALS. status: settled (the job fixed it; settlement says
/// how), open (waiting for an operator) or resolved (resolvedBy, resolution). Amounts in fen.
/// </summary>
public sealed record DifferenceResponse(
    string Id,
    string BillDate,
    string Kind,
    string? OutTradeNo,
    string? OutRefundNo,
    string? TransactionId,
    long? BillFen,
    long? ShopFen,
    string Detail,
    string Status,
    string? Settlement,
    DateTimeOffset FoundAt,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    string? Resolution);

/// <summary>A page of differences, newest bill date first; pass <see cref="Next"/> as <c>after</c> for the next page.</summary>
public sealed record DifferencePageResponse(IReadOnlyList<DifferenceResponse> Items, string? Next)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}

/// <summary>Why the operator considers the difference dealt with (1-500 characters), e.g. what was done in the merchant platform.</summary>
public sealed record ResolveDifferenceRequest(string? Resolution)
{
    public const int MaxResolutionLength = 500;
}

public static class ReconciliationErrorCodes
{
    /// <summary>503: reconciliation needs WeChat Pay and PostgreSQL; this deployment lacks one of them.</summary>
    public const string ReconciliationNotConfigured = "RECONCILIATION_NOT_CONFIGURED";

    /// <summary>404: the bill date was never reconciled.</summary>
    public const string BillRunNotFound = "BILL_RUN_NOT_FOUND";

    /// <summary>404: no difference has this id.</summary>
    public const string DifferenceNotFound = "DIFFERENCE_NOT_FOUND";

    /// <summary>409: the difference is already resolved, or was settled by the job: nothing to resolve.</summary>
    public const string DifferenceNotOpen = "DIFFERENCE_NOT_OPEN";
}
