using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

public sealed partial class OrderGrain
{
    public async Task<OrderOutcome> CancelAsync(OrderCaller caller)
    {
        if (!IsOwner(caller))
        {
            return OrderOutcome.NotFound;
        }

        if (Move(OrderTrigger.CustomerCancel, caller.Actor, "cancelled by the customer") is null)
        {
            return InvalidTransition(Order.Progress.Status, OrderTrigger.CustomerCancel);
        }

        if (await CloseBeforeCustomerCancelAsync() is { } refused)
        {
            return refused;
        }

        // Stamped after the close, which may have taken a while (or found the order paid after all).
        if (Move(OrderTrigger.CustomerCancel, caller.Actor, "cancelled by the customer") is not { } next)
        {
            return InvalidTransition(Order.Progress.Status, OrderTrigger.CustomerCancel);
        }

        await CloseAsync(next, "customer");
        return OrderOutcome.Ok(View());
    }

    /// <summary>Today's single-parcel request: one express parcel of every line (Shop.Grains/Fulfilment).</summary>
    public async Task<OrderOutcome> ShipAsync(OrderCaller caller, string carrier, string trackingNo)
    {
        var shipped = await ShipAsync(caller, new Interfaces.Fulfilment.ShipCommand(Interfaces.Fulfilment.LogisticsType.Express, [new(carrier, trackingNo, [])]));
        return shipped.Status switch
        {
            Interfaces.Fulfilment.ShipStatus.Ok => OrderOutcome.Ok(shipped.Order!),
            Interfaces.Fulfilment.ShipStatus.NotFound => OrderOutcome.NotFound,
            _ => new OrderOutcome(OrderOutcomeStatus.InvalidTransition, Detail: shipped.Detail),
        };
    }

    public async Task<OrderOutcome> ConfirmReceiptAsync(OrderCaller caller)
    {
        if (!IsOwner(caller))
        {
            return OrderOutcome.NotFound;
        }

        if (Move(OrderTrigger.ConfirmReceipt, caller.Actor, "receipt confirmed") is not { } next)
        {
            return InvalidTransition(Order.Progress.Status, OrderTrigger.ConfirmReceipt);
        }

        var (id, at) = Stamp();
        await CommitAsync(WithEvent(next, new OrderCompleted(id, OrderNo, at, Automatic: false)));
        return OrderOutcome.Ok(View());
    }

    public async Task<OrderOutcome> MarkPaidAsync(PaymentReceipt payment)
    {
        if (Order.Exists && Order.Phase == OrderPhase.Reserving)
        {
            await FinishReservingAsync();
        }

        if (!IsReal)
        {
            return OrderOutcome.NotFound;
        }

        if (Order.Payments.Any(p => p.TransactionId == payment.TransactionId))
        {
            return OrderOutcome.Ok(View());
        }

        var (id, at) = Stamp();
        if (Move(OrderTrigger.Pay, "wechatpay", $"transaction {payment.TransactionId}") is not { } paid)
        {
            // The money is real: keep it, flag it for a refund, tell operators. The status does not change.
            logger.LogWarning("Order {OrderNo}: payment {TransactionId} arrived in status {Status}; it needs a refund",
                OrderNo, payment.TransactionId, Order.Progress.Status);
            var refund = new PaymentRecord(payment.TransactionId, payment.AmountFen, payment.PaidAt, NeedsRefund: true);
            await CommitAsync(WithEvent(Order with { Payments = Order.Payments.Add(refund), UpdatedAt = at },
                new OrderPaymentNeedsRefund(id, OrderNo, at, payment.TransactionId, payment.AmountFen, Order.Progress.Status.ToString())));
            return OrderOutcome.Ok(View());
        }

        var (holds, shortfall, resold) = await SellStockAsync();
        await KeepQuotaAsync(holds, shortfall);
        var next = WithEvent(paid with
        {
            Payments = Order.Payments.Add(new PaymentRecord(payment.TransactionId, payment.AmountFen, payment.PaidAt, NeedsRefund: false)),
            Holds = holds,
            Stock = StockPhase.Sold,
            StockShortfall = [.. shortfall],
        }, new OrderPaid(id, OrderNo, at, payment.AmountFen, payment.TransactionId));
        next = resold.Aggregate(next, WithEvent);
        if (shortfall.Count > 0)
        {
            logger.LogError("Order {OrderNo} is paid but stock is short for {Products}", OrderNo, string.Join(", ", shortfall));
            next = WithEvent(next, new OrderStockShortfall(Guid.CreateVersion7(at), OrderNo, at, shortfall));
        }

        await CommitAsync(next);
        return OrderOutcome.Ok(View());
    }

    /// <summary>
    /// Confirms every reservation. One that inventory no longer holds (it expired) is sold again (campaign first: see
    /// OrderGrain.LatePayment.cs); what cannot be had any more is returned as a shortfall.
    /// </summary>
    private async Task<(System.Collections.Immutable.ImmutableList<StockHold> Holds, List<string> Shortfall, List<OrderEvent> Resold)> SellStockAsync()
    {
        var results = await Task.WhenAll(Order.Holds.Select(h => Inventory(h.ProductId).ConfirmAsync(h.ReservationId)));
        var holds = Order.Holds;
        var shortfall = new List<string>();
        var resold = new List<OrderEvent>();
        for (var k = 0; k < results.Length; k++)
        {
            if (results[k].Status == ConfirmStatus.Confirmed)
            {
                continue;
            }

            var (sold, note) = await ResellLapsedHoldAsync(holds[k]);
            resold.Add(note);
            if (sold is not null)
            {
                holds = holds.SetItem(k, sold);
            }
            else
            {
                shortfall.Add(holds[k].ProductId);
            }
        }

        return (holds, shortfall, resold);
    }

    /// <summary>
    /// Cancelled (by the customer or the timeout): one write with the event, then the stock goes back (and a second write
    /// records that it did; until then the order stays due, so an interrupted release is retried).
    /// </summary>
    private async Task CloseAsync(OrderState next, string reason)
    {
        var (id, at) = Stamp();
        await CommitAsync(WithEvent(next with { Stock = StockPhase.Releasing }, new OrderCancelled(id, OrderNo, at, reason)));
        await ReleaseStockAsync();
    }
}
