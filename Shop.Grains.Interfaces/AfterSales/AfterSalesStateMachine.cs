using System.Collections.Frozen;

namespace Shop.Grains.Interfaces.AfterSales;

/// <summary>One allowed move; <see cref="Kind"/> null: for both kinds of request.</summary>
public sealed record AfterSalesTransition(AfterSalesStatus From, AfterSalesTrigger Trigger, AfterSalesStatus To, AfterSalesKind? Kind = null);

/// <summary>The after-sales lifecycle as one table, like the order's: every status change of a request goes through it.</summary>
public static class AfterSalesStateMachine
{
    public static readonly IReadOnlyList<AfterSalesTransition> Transitions =
    [
        new(AfterSalesStatus.Requested, AfterSalesTrigger.Approve, AfterSalesStatus.Refunding, AfterSalesKind.RefundOnly),
        new(AfterSalesStatus.Requested, AfterSalesTrigger.AutoApprove, AfterSalesStatus.Refunding, AfterSalesKind.RefundOnly),
        new(AfterSalesStatus.Requested, AfterSalesTrigger.Approve, AfterSalesStatus.AwaitingReturn, AfterSalesKind.ReturnAndRefund),
        new(AfterSalesStatus.Requested, AfterSalesTrigger.AutoApprove, AfterSalesStatus.AwaitingReturn, AfterSalesKind.ReturnAndRefund),
        new(AfterSalesStatus.Requested, AfterSalesTrigger.Reject, AfterSalesStatus.Rejected),
        new(AfterSalesStatus.Requested, AfterSalesTrigger.Withdraw, AfterSalesStatus.Withdrawn),
        new(AfterSalesStatus.AwaitingReturn, AfterSalesTrigger.SubmitReturn, AfterSalesStatus.ReturnShipped, AfterSalesKind.ReturnAndRefund),
        new(AfterSalesStatus.AwaitingReturn, AfterSalesTrigger.Withdraw, AfterSalesStatus.Withdrawn, AfterSalesKind.ReturnAndRefund),
        new(AfterSalesStatus.AwaitingReturn, AfterSalesTrigger.ReturnDeadlinePassed, AfterSalesStatus.Closed, AfterSalesKind.ReturnAndRefund),
        new(AfterSalesStatus.ReturnShipped, AfterSalesTrigger.ConfirmReceipt, AfterSalesStatus.Refunding, AfterSalesKind.ReturnAndRefund),
        new(AfterSalesStatus.ReturnShipped, AfterSalesTrigger.RejectGoods, AfterSalesStatus.GoodsRejected, AfterSalesKind.ReturnAndRefund),
        new(AfterSalesStatus.Refunding, AfterSalesTrigger.RefundSucceeded, AfterSalesStatus.Refunded),
    ];

    private static readonly FrozenDictionary<(AfterSalesStatus, AfterSalesTrigger, AfterSalesKind?), AfterSalesStatus> ByMove =
        Transitions.ToFrozenDictionary(t => (t.From, t.Trigger, t.Kind), t => t.To);

    public static bool TryTransition(AfterSalesKind kind, AfterSalesStatus from, AfterSalesTrigger trigger, out AfterSalesStatus to) =>
        ByMove.TryGetValue((from, trigger, kind), out to) || ByMove.TryGetValue((from, trigger, null), out to);

    /// <summary>A request that can never move again.</summary>
    public static bool IsFinal(AfterSalesStatus status) => !Transitions.Any(t => t.From == status);

    /// <summary>
    /// Whether the request still counts against what its lines may refund: open ones and refunded ones do; one that
    /// ended without a refund (rejected, withdrawn, closed, goods rejected) gives its lines back.
    /// </summary>
    public static bool HoldsLines(AfterSalesStatus status) => !IsFinal(status) || status == AfterSalesStatus.Refunded;
}
