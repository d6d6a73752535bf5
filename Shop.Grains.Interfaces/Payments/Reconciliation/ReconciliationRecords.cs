namespace Shop.Grains.Interfaces.Payments.Reconciliation;

public static class BillRunStatuses
{
    public const string Running = "running";
    public const string Completed = "completed";

    /// <summary>
    /// The last attempt failed. After an error (WeChat Pay unreachable, a bill refused) the date's reminder tries again
    /// every RetryEvery. After a wait for the bills that ran out (BillWaitLimit) it does not: the scheduler starts the
    /// date again at each check (every CheckEvery) while the date is inside the look-back window (LookBackDays), as it
    /// does any failed date there; each such attempt fails at once while WeChat Pay still answers STATEMENT_CREATING (the
    /// wait is counted from its first answer), and an operator's re-run waits afresh.
    /// </summary>
    public const string Failed = "failed";

    /// <summary>WeChat Pay is still making the bills (STATEMENT_CREATING): the date's reminder asks again, for a bounded time.</summary>
    public const string Waiting = "waiting";
}

/// <summary>What a difference between WeChat Pay's bills and the shop's records is about.</summary>
public static class DifferenceKinds
{
    /// <summary>Paid at WeChat Pay, not paid here (a lost notification): settled by applying the payment.</summary>
    public const string PaidNotRecorded = "PAID_NOT_RECORDED";

    /// <summary>A payment for an out_trade_no the shop never issued.</summary>
    public const string UnknownPayment = "UNKNOWN_PAYMENT";

    /// <summary>Paid here, but the bill of the payment's day does not list it.</summary>
    public const string MissingFromBill = "MISSING_FROM_BILL";

    /// <summary>A refund recorded here as SUCCESS on the bill date that the bill does not list.</summary>
    public const string RefundMissingFromBill = "REFUND_MISSING_FROM_BILL";

    /// <summary>The bill's amount is not the amount recorded (or not the order's total).</summary>
    public const string AmountMismatch = "AMOUNT_MISMATCH";

    /// <summary>A refund in the bill the shop did not make (e.g. by hand in the merchant platform), or whose amount or status differs.</summary>
    public const string RefundMismatch = "REFUND_MISMATCH";

    /// <summary>
    /// The bill lists the payment as REVOKED (reversed: the payer has the money back) while the shop recorded it as
    /// paid. Never settled by the job: whether the goods went out decides what the merchant does.
    /// </summary>
    public const string PaymentRevoked = "PAYMENT_REVOKED";

    /// <summary>The fee total of the trade bill disagrees with its rows or with the fees charged in the fund-flow bill.</summary>
    public const string FeeTotals = "FEE_TOTALS";
}

public static class DifferenceStatuses
{
    public const string Settled = "settled";
    public const string Open = "open";
    public const string Resolved = "resolved";
}

[GenerateSerializer, Immutable, Alias("Shop.Reconciliation.BillRunView")]
public sealed record BillRunView(
    [property: Id(0)] string BillDate,
    [property: Id(1)] string Status,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string RequestedBy,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt,
    [property: Id(6)] int TradeRows,
    [property: Id(7)] int FundRows,
    [property: Id(8)] int Matched,
    [property: Id(9)] int Differences,
    [property: Id(10)] int Settled,
    [property: Id(11)] string? Error,
    [property: Id(120)] DateTimeOffset? WaitingSince = null);

[GenerateSerializer, Immutable, Alias("Shop.Reconciliation.DifferenceView")]
public sealed record DifferenceView(
    [property: Id(0)] string Id,
    [property: Id(1)] string BillDate,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? OutTradeNo,
    [property: Id(4)] string? OutRefundNo,
    [property: Id(5)] string? TransactionId,
    [property: Id(6)] long? BillFen,
    [property: Id(7)] long? ShopFen,
    [property: Id(8)] string Detail,
    [property: Id(9)] string Status,
    [property: Id(10)] string? Settlement,
    [property: Id(11)] DateTimeOffset FoundAt,
    [property: Id(12)] string? ResolvedBy,
    [property: Id(13)] DateTimeOffset? ResolvedAt,
    [property: Id(14)] string? Resolution);

/// <summary>Newest bill date first; <see cref="After"/> is the last id of the previous page.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Reconciliation.DifferenceQuery")]
public sealed record DifferenceQuery(
    [property: Id(0)] string? Status,
    [property: Id(1)] string? BillDate,
    [property: Id(2)] int Limit,
    [property: Id(3)] string? After);

[GenerateSerializer, Immutable, Alias("Shop.Reconciliation.DifferencePage")]
public sealed record DifferencePage([property: Id(0)] IReadOnlyList<DifferenceView> Items, [property: Id(1)] string? Next);

[GenerateSerializer, Alias("Shop.Reconciliation.ResolveStatus")]
public enum ResolveStatus
{
    Resolved,
    NotFound,

    /// <summary>Already resolved, or settled by the job: nothing for an operator to do.</summary>
    NotOpen,
}

[GenerateSerializer, Immutable, Alias("Shop.Reconciliation.ResolveOutcome")]
public sealed record ResolveOutcome([property: Id(0)] ResolveStatus Status, [property: Id(1)] DifferenceView? Difference);
