using System.Collections.Frozen;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// One allowed move. <see cref="To"/> null: back to the status the order had before the refund was requested (a partial
/// refund went through, or WeChat Pay ended the refund ABNORMAL/CLOSED or refused it).
/// </summary>
public sealed record OrderTransition(OrderStatus From, OrderTrigger Trigger, OrderStatus? To);

/// <summary>The order lifecycle as one table; every status change of an order goes through <see cref="TryTransition(OrderStatus, OrderTrigger, OrderStatus?, out OrderStatus)"/>.</summary>
public static class OrderStateMachine
{
    public static readonly IReadOnlyList<OrderTransition> Transitions =
    [
        new(OrderStatus.PendingPayment, OrderTrigger.Pay, OrderStatus.Paid),
        new(OrderStatus.PendingPayment, OrderTrigger.CustomerCancel, OrderStatus.Cancelled),
        new(OrderStatus.PendingPayment, OrderTrigger.PaymentTimeout, OrderStatus.Cancelled),
        new(OrderStatus.Paid, OrderTrigger.Ship, OrderStatus.Shipped),
        // A partial shipment keeps the order Paid (with its parcels): refunds, after-sales and the last part's Ship
        // work as for any paid order, and "Shipped" keeps meaning "everything left" (auto-complete counts from it).
        new(OrderStatus.Paid, OrderTrigger.ShipPart, OrderStatus.Paid),
        new(OrderStatus.Shipped, OrderTrigger.CorrectShipment, OrderStatus.Shipped),
        new(OrderStatus.Shipped, OrderTrigger.ConfirmReceipt, OrderStatus.Completed),
        new(OrderStatus.Shipped, OrderTrigger.AutoComplete, OrderStatus.Completed),
        new(OrderStatus.Paid, OrderTrigger.RequestRefund, OrderStatus.Refunding),
        new(OrderStatus.Shipped, OrderTrigger.RequestRefund, OrderStatus.Refunding),
        new(OrderStatus.Completed, OrderTrigger.RequestRefund, OrderStatus.Refunding),
        new(OrderStatus.Refunding, OrderTrigger.RefundInFull, OrderStatus.Refunded),
        new(OrderStatus.Refunding, OrderTrigger.RefundPartially, null),
        new(OrderStatus.Refunding, OrderTrigger.RefundFailed, null),
    ];

    private static readonly FrozenDictionary<(OrderStatus, OrderTrigger), OrderTransition> ByMove =
        Transitions.ToFrozenDictionary(t => (t.From, t.Trigger));

    /// <summary>The statuses an order can never leave.</summary>
    public static bool IsFinal(OrderStatus status) => !Transitions.Any(t => t.From == status);

    /// <summary>The next status, or false when <paramref name="trigger"/> is not allowed in <paramref name="current"/>.</summary>
    public static bool TryTransition(OrderStatus current, OrderTrigger trigger, out OrderStatus next) =>
        TryTransition(current, trigger, statusBeforeRefund: null, out next);

    /// <param name="statusBeforeRefund">Where a partial or failed refund returns to; without it neither is allowed.</param>
    public static bool TryTransition(OrderStatus current, OrderTrigger trigger, OrderStatus? statusBeforeRefund, out OrderStatus next)
    {
        next = current;
        if (!ByMove.TryGetValue((current, trigger), out var transition))
        {
            return false;
        }

        var to = transition.To ?? statusBeforeRefund;
        if (to is not { } target || (transition.To is null && !CanRefundFrom(target)))
        {
            return false;
        }

        next = target;
        return true;
    }

    private static bool CanRefundFrom(OrderStatus status) => ByMove.ContainsKey((status, OrderTrigger.RequestRefund));
}
