using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>What the shop recorded about one order, read from the orders table (the order grain's own durable record).</summary>
public sealed record ShopOrderFacts(string OrderNo, string Status, long TotalFen, IReadOnlyList<ShopPaymentFact> Payments, IReadOnlyList<ShopRefundFact> Refunds);

public sealed record ShopPaymentFact(string TransactionId, long AmountFen, DateTimeOffset PaidAt, bool NeedsRefund);

public sealed record ShopRefundFact(string OutRefundNo, long AmountFen, string Status, DateTimeOffset? SucceededAt = null);

/// <summary>A payment recorded here on the bill date (to find the ones the bill lacks).</summary>
public sealed record ShopPaymentOnDay(string OrderNo, string TransactionId, long AmountFen);

/// <summary>A refund recorded here as SUCCESS on the bill date (to find the ones the bill lacks).</summary>
public sealed record ShopRefundOnDay(string OrderNo, string OutRefundNo, long AmountFen, DateTimeOffset SucceededAt);

/// <summary>A bill row as stored: the columns matched on, and the whole typed row as JSON.</summary>
public sealed record StoredBillRow(string Bill, int RowNo, DateTimeOffset OccurredAt, string BusinessNo, string? OutTradeNo, string? OutRefundNo,
    string State, long AmountFen, long FeeMilliFen, bool Matched, string RowJson);

/// <summary>
/// One difference the matcher found. <see cref="SettlePayment"/> or <see cref="SettleRefund"/> is what the job does
/// about it by itself (through the same grain calls a verified notification makes); without one it stays open.
/// </summary>
public sealed record Finding(
    string Kind,
    string Reference,
    string? OutTradeNo,
    string? OutRefundNo,
    string? TransactionId,
    long? BillFen,
    long? ShopFen,
    string Detail,
    PaidTransaction? SettlePayment = null,
    RefundStatusUpdate? SettleRefund = null)
{
    /// <summary>settled (with what was done) or open; set once the job has tried to settle.</summary>
    public string Status { get; init; } = Interfaces.Payments.Reconciliation.DifferenceStatuses.Open;

    public string? Settlement { get; init; }
}

/// <summary>A bill date of the look-back window without a completed run: its run's status and last start, or nulls if it never ran.</summary>
public sealed record UnreconciledDate(DateOnly Date, string? Status, DateTimeOffset? StartedAt);
