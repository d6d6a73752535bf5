using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Grains.AfterSales;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// The order's side of after-sales (kept here, beside the feature; the order's own files only gained the claim list):
/// the order runs one call at a time, so it is where the lines' refundable amounts are decided. Each request claims
/// units of lines; a line's claims (open or refunded) never exceed what was bought, and their money never exceeds
/// what is left of the payment.
/// </summary>
public sealed partial class OrderGrain : IOrderAfterSalesGrain
{
    private const string AfterSalesRefundActor = "after-sales";

    private AfterSalesOptions AfterSalesSettings => ServiceProvider.GetRequiredService<IOptions<AfterSalesOptions>>().Value;

    private TimeProvider AfterSalesClock => ServiceProvider.GetRequiredKeyedService<TimeProvider>(AfterSalesRegistration.ClockKey);

    public async Task<AfterSalesOutcome> OpenAfterSalesAsync(OrderCaller caller, OpenAfterSalesCommand command)
    {
        if (!IsOwner(caller))
        {
            return AfterSalesOutcome.NotFound;
        }

        var lines = Order.Lines;
        foreach (var wanted in command.Lines)
        {
            if (wanted.LineNo < 1 || wanted.LineNo > lines.Count)
            {
                return new(AfterSalesOutcomeStatus.UnknownLine, LineNo: wanted.LineNo,
                    Detail: $"The order has lines 1 to {lines.Count}; there is no line {wanted.LineNo}.");
            }
        }

        var busy = Order.AfterSales.Find(c => c.IsOpen && c.Opened.Lines.Any(l => command.Lines.Any(w => w.LineNo == l.LineNo)));
        if (busy is not null)
        {
            if (IsSameRequest(busy.Opened, caller, command))
            {
                // A retry of a request whose answer was lost: store its grain again (idempotent) and answer with it.
                return AfterSalesOutcome.Ok(await GrainFactory.GetGrain<IAfterSalesGrain>(busy.RequestId).OpenAsync(busy.Opened));
            }

            // The open request must be visible to the merchant: if its row was never stored (the store failed after the
            // claim was), store it now (idempotent; the request's OpenAsync interleaves, so this cannot deadlock).
            await GrainFactory.GetGrain<IAfterSalesGrain>(busy.RequestId).OpenAsync(busy.Opened);
            var line = busy.Opened.Lines.First(l => command.Lines.Any(w => w.LineNo == l.LineNo)).LineNo;
            return new(AfterSalesOutcomeStatus.LineBusy, LineNo: line, OpenRequestId: busy.RequestId,
                Detail: $"Line {line} already has an open after-sales request ({busy.RequestId}); withdraw it or wait for it to end.");
        }

        if (Eligibility(command.Kind) is { } refused)
        {
            return refused;
        }

        var unsent = command.Kind == AfterSalesKind.RefundOnly ? UnsentOfPartlyShipped() : null;
        var claimed = new List<AfterSalesLine>();
        foreach (var wanted in command.Lines)
        {
            var line = lines[wanted.LineNo - 1];
            var left = line.Quantity - Order.AfterSales.Where(c => c.HoldsLines).SelectMany(c => c.Opened.Lines)
                .Where(l => l.LineNo == wanted.LineNo).Sum(l => l.Quantity);
            if (wanted.Quantity > left)
            {
                return new(AfterSalesOutcomeStatus.ExceedsRefundable, LineNo: wanted.LineNo, RefundableFen: left * line.UnitPriceFen,
                    Detail: $"Line {wanted.LineNo} has {left} of {line.Quantity} units left for after-sales; {wanted.Quantity} were asked for.");
            }

            if (unsent is not null)
            {
                var stays = unsent.GetValueOrDefault(line.Sku);
                if (wanted.Quantity > stays)
                {
                    return new(AfterSalesOutcomeStatus.ExceedsRefundable, LineNo: wanted.LineNo, RefundableFen: Math.Max(0, stays) * line.UnitPriceFen,
                        Detail: $"Part of the order has shipped: {Math.Max(0, stays)} units of line {wanted.LineNo} are still in the warehouse for a refund only; "
                            + "units already sent can be returned once the order has shipped.");
                }

                unsent[line.Sku] = stays - wanted.Quantity;
            }

            // Holds are made one per line, in line order: the hold names the SKU the units were taken from.
            var sku = Order.Holds.Count == lines.Count ? Order.Holds[wanted.LineNo - 1].ProductId : line.ProductId;
            claimed.Add(new AfterSalesLine(wanted.LineNo, line.ProductId, line.Name, wanted.Quantity, line.UnitPriceFen, wanted.Quantity * line.UnitPriceFen, sku));
        }

        var amount = claimed.Sum(l => l.AmountFen) + ShippingFeeRefundedWith(command.Kind, claimed);
        var refundable = RefundableForAfterSales();
        if (amount > refundable)
        {
            return new(AfterSalesOutcomeStatus.ExceedsRefundable, RefundableFen: refundable,
                Detail: $"{amount} fen is more than the {refundable} fen left to refund on the order.");
        }

        var now = AfterSalesClock.GetUtcNow();
        var opened = new AfterSalesRequest(AfterSalesRequest.NewId(), OrderNo, Order.UserId, command.Kind, AfterSalesStatus.Requested,
            [.. claimed], amount, command.Reason, command.Note, command.PhotoUrls, now, now, now + AfterSalesSettings.MerchantResponseTime,
            [new AfterSalesHistoryEntry(now, caller.Actor, AfterSalesTrigger.Open, null, AfterSalesStatus.Requested, command.Reason)]);
        var claim = new AfterSalesClaim(opened, AfterSalesStatus.Requested, 1, []);
        await CommitAsync(RecordOnOrder(Order with { AfterSales = Order.AfterSales.Add(claim) }, opened, opened.History[0]));
        return AfterSalesOutcome.Ok(await GrainFactory.GetGrain<IAfterSalesGrain>(opened.RequestId).OpenAsync(opened));
    }

    public async Task RecordAfterSalesAsync(AfterSalesChange change)
    {
        if (!IsReal || Order.AfterSales.Find(c => c.RequestId == change.RequestId) is not { } claim || change.Seq <= claim.Seq)
        {
            return;
        }

        var updated = claim with { Status = change.Entry.To, Seq = change.Seq };
        await CommitAsync(RecordOnOrder(Order with { AfterSales = Order.AfterSales.Replace(claim, updated) }, claim.Opened, change.Entry));
    }

    public async Task<AfterSalesRefundProgress> RefundAfterSalesAsync(string requestId, int attempt)
    {
        if (!IsReal || Order.AfterSales.Find(c => c.RequestId == requestId) is not { Status: AfterSalesStatus.Refunding } claim)
        {
            return new(AfterSalesRefundState.Waiting, null, false, "The order does not hold this request as refunding.");
        }

        var key = $"{requestId}#{attempt}";
        if (Order.Refunds.Find(r => r.RequestedBy == AfterSalesRefundActor && r.IdempotencyKey == key) is { } refund)
        {
            if (refund.Status == RefundStates.Submitting)
            {
                await SendRefundAsync(refund, askFirst: true);
                refund = RefundNumbered(refund.OutRefundNo);
            }

            return Progress(claim, refund);
        }

        if (Order.Refunds.Find(r => RefundStates.InFlight(r.Status)) is { } inFlight)
        {
            return new(AfterSalesRefundState.Waiting, null, false, $"Refund {inFlight.OutRefundNo} of the order is still {inFlight.Status}.");
        }

        var outRefundNo = $"R{OrderNo}-{Order.Refunds.Count + 1:D2}";
        var reason = $"售后退款 {requestId}";
        if (OrderPayment is null || PaymentsOff || Move(OrderTrigger.RequestRefund, AfterSalesRefundActor, $"{outRefundNo}: {claim.Opened.AmountFen} fen, {reason}") is not { } refunding)
        {
            return new(AfterSalesRefundState.Waiting, null, false, $"An order in status {Order.Progress.Status} cannot be refunded now.");
        }

        var (id, at) = Stamp();
        var created = new OrderRefund(outRefundNo, claim.Opened.AmountFen, reason, RefundStates.Submitting, AfterSalesRefundActor, key, at, at, RefundId: null);
        await PaymentGrain.WatchRefundsAsync();
        var withClaim = claim with { RefundNos = claim.RefundNos.Add(outRefundNo) };
        await CommitAsync(WithEvent(refunding with { Refunds = Order.Refunds.Add(created), AfterSales = Order.AfterSales.Replace(claim, withClaim) },
            new OrderRefundRequested(id, OrderNo, at, outRefundNo, created.AmountFen, reason)));
        await SendRefundAsync(created, askFirst: false);
        return Progress(withClaim, RefundNumbered(outRefundNo));
    }

    /// <summary>What is left of the payment for new after-sales requests: paid − refunds that hold money − claims not yet refunding.</summary>
    private long RefundableForAfterSales() =>
        (OrderPayment?.AmountFen ?? 0) - Order.Refunds.Where(r => RefundStates.HoldsAmount(r.Status)).Sum(r => r.AmountFen) - AfterSalesHeldFen();

    /// <summary>Money promised to after-sales requests that no refund holds yet (the merchant's own refunds must leave it).</summary>
    private long AfterSalesHeldFen() => Order.AfterSales
        .Where(c => c.HoldsLines && !c.RefundNos.Any(n => Order.Refunds.Exists(r => r.OutRefundNo == n && RefundStates.HoldsAmount(r.Status))))
        .Sum(c => c.Opened.AmountFen);

    /// <summary>Called after the order applied WeChat Pay's word on a refund: an after-sales request waiting for it follows now.</summary>
    private void NotifyAfterSales(OrderRefund refund)
    {
        if (refund.RequestedBy == AfterSalesRefundActor && RefundStates.IsFinal(refund.Status)
            && Order.AfterSales.Find(c => c.RefundNos.Contains(refund.OutRefundNo)) is { } claim)
        {
            _ = GrainFactory.GetGrain<IAfterSalesGrain>(claim.RequestId).RefundSettledAsync();
        }
    }

    private AfterSalesRefundProgress Progress(AfterSalesClaim claim, OrderRefund refund) => refund.Status switch
    {
        RefundStates.Success => new(AfterSalesRefundState.Succeeded, refund.OutRefundNo, Unshipped(claim, refund), null),
        RefundStates.Rejected or RefundStates.Closed => new(AfterSalesRefundState.Failed, refund.OutRefundNo, false, $"Refund {refund.OutRefundNo} ended {refund.Status}."),
        _ => new(AfterSalesRefundState.InFlight, refund.OutRefundNo, false, null),
    };

    /// <summary>
    /// A refund only whose refund was asked for before the order shipped (the order cannot ship while a refund is in
    /// flight): its units are still in the warehouse.
    /// </summary>
    private bool Unshipped(AfterSalesClaim claim, OrderRefund refund) =>
        claim.Opened.Kind == AfterSalesKind.RefundOnly && (Order.Shipment is not { } shipment || shipment.ShippedAt > refund.RequestedAt);

    /// <summary>
    /// For an order of which parts went out but which has not shipped in full: the units per SKU still in the warehouse
    /// that no refund-only request holds. A refund only takes only those (the sent ones travelled; refunding them as
    /// if unshipped would put them back into stock). Null when nothing was sent yet or everything was.
    /// </summary>
    private Dictionary<string, long>? UnsentOfPartlyShipped()
    {
        if (Order.Shipment is not null || Order.Fulfilment is not { Parcels: { Count: > 0 } parcels })
        {
            return null;
        }

        var unsent = Order.Lines.GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));
        foreach (var sent in parcels.SelectMany(p => p.Lines))
        {
            unsent[sent.SkuId] = unsent.GetValueOrDefault(sent.SkuId) - sent.Quantity;
        }

        foreach (var held in Order.AfterSales.Where(c => c.HoldsLines && c.Opened.Kind == AfterSalesKind.RefundOnly).SelectMany(c => c.Opened.Lines)
            .Where(l => l.LineNo >= 1 && l.LineNo <= Order.Lines.Count))
        {
            var sku = Order.Lines[held.LineNo - 1].Sku;
            unsent[sku] = unsent.GetValueOrDefault(sku) - held.Quantity;
        }

        return unsent;
    }

    private AfterSalesOutcome? Eligibility(AfterSalesKind kind)
    {
        var status = Order.Progress.Status == OrderStatus.Refunding ? Order.Progress.StatusBeforeRefund : Order.Progress.Status;
        switch (status)
        {
            case OrderStatus.Paid when kind == AfterSalesKind.ReturnAndRefund:
                return new(AfterSalesOutcomeStatus.NotEligible, Detail: Order.Fulfilment is null
                    ? "The order has not shipped: nothing can be returned; ask for a refund only."
                    : "Only part of the order has shipped: sent units can be returned once the rest has shipped; units not sent yet take a refund only.");
            case OrderStatus.Paid or OrderStatus.Shipped:
                return null;
            case OrderStatus.Completed:
                var completedAt = Order.Progress.History.LastOrDefault(h => h.To == OrderStatus.Completed)?.At ?? Order.UpdatedAt;
                var closesAt = completedAt + AfterSalesSettings.Window;
                return AfterSalesClock.GetUtcNow() <= closesAt ? null : new(AfterSalesOutcomeStatus.WindowClosed,
                    Detail: $"After-sales for this order closed at {closesAt:O}, {AfterSalesSettings.Window.TotalDays:0.##} days after it was completed.");
            default:
                return new(AfterSalesOutcomeStatus.NotEligible, Detail: $"An order in status {Order.Progress.Status} cannot take an after-sales request.");
        }
    }

    private static bool IsSameRequest(AfterSalesRequest opened, OrderCaller caller, OpenAfterSalesCommand command) =>
        opened.UserId == caller.UserId && opened.Kind == command.Kind && opened.Reason == command.Reason && opened.Note == command.Note
        && opened.PhotoUrls.SequenceEqual(command.PhotoUrls)
        && opened.Lines.Select(l => (l.LineNo, l.Quantity)).SequenceEqual(command.Lines.Select(l => (l.LineNo, l.Quantity)));

    /// <summary>The move as an entry of the order's history (its status unchanged) and an event of its log.</summary>
    private OrderState RecordOnOrder(OrderState order, AfterSalesRequest request, AfterSalesHistoryEntry entry)
    {
        var (id, at) = Stamp();
        var status = order.Progress.Status;
        var reason = $"{request.RequestId} {request.Kind} {entry.From?.ToString() ?? "new"} → {entry.To} ({entry.Trigger}{(entry.Reason is null ? "" : ": " + entry.Reason)})";
        var progress = order.Progress with { History = order.Progress.History.Add(new OrderHistoryEntry(at, entry.Actor, OrderTrigger.AfterSales, status, status, reason)) };
        return WithEvent(order with { Progress = progress, UpdatedAt = at }, new AfterSalesProgressed(id, OrderNo, at, request.RequestId,
            request.Kind.ToString(), entry.Trigger.ToString(), entry.From?.ToString(), entry.To.ToString(), request.AmountFen, entry.Actor));
    }
}
