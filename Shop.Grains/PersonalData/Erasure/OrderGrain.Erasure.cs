using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.Orders;

/// <summary>
/// The order's side of erasure and retention (kept beside the feature; the order's own files only gained
/// <see cref="OrderState.PersonalDataErasedAt"/>). The order decides whether it may be erased now: money may still move
/// while it is unpaid but open, paid and not past the after-sales window, refunding, or holding an open after-sales
/// request, and the merchant needs the address to ship. What stays is what accounting needs: lines, amounts, payments,
/// refunds, times, the history's moves (customers' actors under the pseudonym).
/// </summary>
public sealed partial class OrderGrain : IOrderErasureGrain
{
    /// <summary>What an erased name, phone and street read as (the region stays: it names no one and shipping rules use it).</summary>
    public const string ErasedText = "";

    public async Task<OrderErasureOutcome> EraseAsync(string userId, string pseudonym)
    {
        if (!Order.Exists || (Order.UserId != userId && Order.UserId != pseudonym))
        {
            return new OrderErasureOutcome(OrderErasureStatus.NotFound);
        }

        if (Order.UserId == userId)
        {
            if (ErasureWait() is { } wait)
            {
                return new OrderErasureOutcome(OrderErasureStatus.Waiting, wait);
            }

            await CommitAsync(WithoutPersonalData(Order, userId, pseudonym));
        }

        return new OrderErasureOutcome(OrderErasureStatus.Erased, Skus: [.. Order.Holds.Select(h => h.ProductId).Distinct()],
            AfterSalesRequestIds: [.. Order.AfterSales.Select(c => c.RequestId)]);
    }

    public async Task<OrderErasureOutcome?> AnonymiseExpiredAsync(DateTimeOffset cutoff)
    {
        var finished = Order.Phase == OrderPhase.Rejected
            || (Order.Phase == OrderPhase.Active && Order.Progress.Status is OrderStatus.Completed or OrderStatus.Cancelled or OrderStatus.Refunded);
        if (!Order.Exists || Order.PersonalDataErasedAt is not null || !finished || Order.UpdatedAt >= cutoff || ErasureWait() is not null)
        {
            return null;
        }

        await CommitAsync(WithoutPersonalData(Order, Order.UserId, Order.UserId));
        return new OrderErasureOutcome(OrderErasureStatus.Erased, AfterSalesRequestIds: [.. Order.AfterSales.Select(c => c.RequestId)]);
    }

    /// <summary>Why (and until when, if known) the order must keep its personal data for now; null when it may go.</summary>
    private ErasureWaitingOrder? ErasureWait()
    {
        var status = Order.Phase == OrderPhase.Active ? Order.Progress.Status.ToString() : Order.Phase.ToString();
        ErasureWaitingOrder Wait(DateTimeOffset? until, string reason) => new(OrderNo, status, until, reason);
        var shippedAt = Order.Fulfilment?.ShippedAt ?? Order.Shipment?.ShippedAt;
        var window = AfterSalesSettings.Window;

        if (Order.Phase == OrderPhase.Reserving)
        {
            return Wait(Order.ExpiresAt, "being created");
        }

        if (Order.Phase == OrderPhase.Rejected)
        {
            return null;
        }

        if (Order.AfterSales.Any(c => c.IsOpen))
        {
            return Wait(null, "an after-sales request is open");
        }

        if (Order.Payments.Any(p => p.NeedsRefund) || Order.Stock == StockPhase.Releasing || !Order.Outbox.IsEmpty)
        {
            return Wait(null, "a refund, stock release or event is still under way");
        }

        switch (Order.Progress.Status)
        {
            case OrderStatus.PendingPayment:
                return Wait(Order.ExpiresAt, "awaiting payment: the order closes by itself at its payment deadline");
            case OrderStatus.Paid:
                return Wait(null, "paid and not shipped yet: erased once delivered and past the after-sales window");
            case OrderStatus.Refunding:
                return Wait(null, "a refund is in progress");
            case OrderStatus.Shipped:
                return Wait(shippedAt is { } shipped ? shipped + _options.AutoCompleteAfterShipping + window : null,
                    "shipped: erased once completed and past the after-sales window");
            case OrderStatus.Completed:
                var completedAt = Order.Progress.History.LastOrDefault(h => h.To == OrderStatus.Completed)?.At ?? Order.UpdatedAt;
                return AfterSalesClock.GetUtcNow() <= completedAt + window
                    ? Wait(completedAt + window, "completed: the after-sales window is still open")
                    : null;
            default:
                return null;
        }
    }

    private OrderState WithoutPersonalData(OrderState order, string userId, string pseudonym)
    {
        var shipping = order.Shipping is { } s
            ? protector.Protect(new ShippingAddress(ErasedText, ErasedText, s.Province, s.City, s.District, ErasedText), OrderNo)
            : null;
        return order with
        {
            UserId = pseudonym,
            Shipping = shipping,
            ProtectedRemark = null,
            Remark = null,
            Progress = order.Progress with
            {
                History = [.. order.Progress.History.Select(h => h with { Actor = PseudonymActor(h.Actor, userId, pseudonym), Reason = WithoutCustomerText(h) })],
            },
            AfterSales = [.. order.AfterSales.Select(c => c with { Opened = WithoutPersonalData(c.Opened, userId, pseudonym) })],
            PersonalDataErasedAt = clock.GetUtcNow(),
        };
    }

    internal static AfterSalesRequest WithoutPersonalData(AfterSalesRequest request, string userId, string pseudonym) => request with
    {
        UserId = request.UserId == userId ? pseudonym : request.UserId,
        Note = null,
        PhotoUrls = [],
        ReturnShipment = request.ReturnShipment is { } r ? r with { TrackingNo = ErasedText } : null,
        History = [.. request.History.Select(h => h with
        {
            Actor = PseudonymActor(h.Actor, userId, pseudonym),
            // The customer's return courier and tracking number ("SF SF123…") lead to the sender's contact data.
            Reason = h.Trigger == AfterSalesTrigger.SubmitReturn ? request.ReturnShipment?.Carrier : h.Reason,
        })],
    };

    internal static string PseudonymActor(string actor, string userId, string pseudonym) =>
        actor == "customer:" + userId ? "customer:" + pseudonym : actor;

    /// <summary>After-sales entries end in "(Trigger: reason)", where the reason may be the customer's words or return tracking number.</summary>
    private static string? WithoutCustomerText(OrderHistoryEntry entry) =>
        entry.Trigger == OrderTrigger.AfterSales && entry.Reason is { } reason ? AfterSalesReason().Replace(reason, "($1)") : entry.Reason;

    [GeneratedRegex(@"\((\w+): .*\)$", RegexOptions.Singleline)]
    private static partial Regex AfterSalesReason();
}
