using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Observability;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Payments.WeChatPay;

namespace Shop.Grains.Orders;

/// <summary>
/// Merchant refunds (kept here, beside the payments code; the order's own files are untouched). The order decides
/// everything: it assigns out_refund_no on the first sight of an idempotency key, keeps the refunds within what was
/// paid (one in flight at a time, which the Refunding status enforces), and follows WeChat Pay's answers through the
/// transition table. WeChat Pay itself is called by the order's payment grain.
/// </summary>
public sealed partial class OrderGrain
{
    private IOrderPaymentGrain PaymentGrain => GrainFactory.GetGrain<IOrderPaymentGrain>(OrderNo);

    /// <summary>The payment that paid the order (one that landed on a cancelled order is refunded automatically instead).</summary>
    private PaymentRecord? OrderPayment => Order.Payments.FirstOrDefault(p => !p.NeedsRefund);

    private bool PaymentsOff => ServiceProvider.GetService<WeChatPayEnabled>() is null;

    public async Task<RefundOutcome> RequestRefundAsync(OrderCaller caller, RefundCommand command)
    {
        if (!IsReal || !caller.IsAdmin)
        {
            return RefundOutcome.NotFound;
        }

        if (Order.Refunds.Find(r => r.RequestedBy == caller.Actor && r.IdempotencyKey == command.IdempotencyKey) is { } earlier)
        {
            if (earlier.AmountFen != command.AmountFen || earlier.Reason != command.Reason)
            {
                return new RefundOutcome(RefundOutcomeStatus.KeyReused, Detail: "This Idempotency-Key was already used for a different refund.");
            }

            // A retry: the refund it made, sent again (same out_refund_no, same body) only if WeChat Pay never confirmed it.
            return earlier.Status == RefundStates.Submitting ? await SendRefundAsync(earlier, askFirst: true) : Answer(earlier);
        }

        if (PaymentsOff)
        {
            return new RefundOutcome(RefundOutcomeStatus.NotConfigured, Detail: "WeChat Pay is not configured on this deployment.");
        }

        if (Order.Refunds.Find(r => RefundStates.InFlight(r.Status)) is { } inFlight)
        {
            return new RefundOutcome(RefundOutcomeStatus.InProgress, Order: View(),
                Detail: $"Refund {inFlight.OutRefundNo} is still {inFlight.Status}; the next refund can be requested once it has finished.");
        }

        var outRefundNo = $"R{OrderNo}-{Order.Refunds.Count + 1:D2}";
        var why = $"{outRefundNo}: {command.AmountFen} fen, {command.Reason}";
        if (OrderPayment is not { } payment || Move(OrderTrigger.RequestRefund, caller.Actor, why) is not { } refunding)
        {
            return new RefundOutcome(RefundOutcomeStatus.InvalidTransition, Order: View(),
                Detail: $"An order in status {Order.Progress.Status} cannot {OrderTrigger.RequestRefund}.");
        }

        // Money promised to open after-sales requests is not the merchant's to refund twice.
        var refundable = payment.AmountFen - Order.Refunds.Where(r => RefundStates.HoldsAmount(r.Status)).Sum(r => r.AmountFen) - AfterSalesHeldFen();
        if (command.AmountFen > refundable)
        {
            return new RefundOutcome(RefundOutcomeStatus.ExceedsPaid, Order: View(), RefundableFen: refundable,
                Detail: $"{command.AmountFen} fen is more than the {refundable} fen left to refund of the {payment.AmountFen} fen paid.");
        }

        var (id, at) = Stamp();
        var refund = new OrderRefund(outRefundNo, command.AmountFen, command.Reason, RefundStates.Submitting, caller.Actor,
            command.IdempotencyKey, at, at, RefundId: null);

        // Watched before it is stored: whatever happens to this activation from here on, it is re-sent or queried.
        await PaymentGrain.WatchRefundsAsync();
        await CommitAsync(WithEvent(refunding with { Refunds = Order.Refunds.Add(refund) },
            new OrderRefundRequested(id, OrderNo, at, outRefundNo, command.AmountFen, command.Reason)));
        ServiceProvider.GetRequiredService<ShopGrainMetrics>().RefundStatus(RefundStates.Submitting);
        return await SendRefundAsync(refund, askFirst: false);
    }

    public Task<IReadOnlyList<RefundSubmission>> GetRefundsInFlightAsync() =>
        Task.FromResult<IReadOnlyList<RefundSubmission>>(IsReal
            ? [.. Order.Refunds.Where(r => RefundStates.InFlight(r.Status)).Select(Submission)]
            : []);

    /// <summary>Sends the recorded refund to WeChat Pay and applies the answer; an unknown outcome leaves it SUBMITTING.</summary>
    private async Task<RefundOutcome> SendRefundAsync(OrderRefund refund, bool askFirst)
    {
        if (PaymentsOff)
        {
            return new RefundOutcome(RefundOutcomeStatus.NotConfigured, refund, View(), "WeChat Pay is not configured on this deployment.");
        }

        var sent = await PaymentGrain.SendRefundAsync(Submission(refund), askFirst);
        switch (sent.Status)
        {
            case RefundSendStatus.Accepted:
                await ApplyRefundAsync(refund, new RefundStatusUpdate(refund.OutRefundNo, sent.RefundStatus ?? RefundStates.Processing, null, sent.RefundId, "create"));
                return Answer(RefundNumbered(refund.OutRefundNo), sent.Detail);
            case RefundSendStatus.Rejected:
                await ApplyRefundAsync(refund, new RefundStatusUpdate(refund.OutRefundNo, RefundStates.Rejected, null, null, "create: " + sent.Detail));
                return Answer(RefundNumbered(refund.OutRefundNo), sent.Detail);
            default:
                return new RefundOutcome(RefundOutcomeStatus.Unavailable, refund, View(),
                    $"WeChat Pay did not confirm refund {refund.OutRefundNo}; send the same request again (same Idempotency-Key). It is also re-sent automatically.",
                    RetryAfter: sent.RetryAfter);
        }
    }

    private RefundOutcome Answer(OrderRefund refund, string? detail = null) => refund.Status == RefundStates.Rejected
        ? new RefundOutcome(RefundOutcomeStatus.Rejected, refund, View(), $"WeChat Pay refused refund {refund.OutRefundNo}{(detail is null ? "" : ": " + detail)}.")
        : new RefundOutcome(RefundOutcomeStatus.Ok, refund, View());

    private OrderRefund RefundNumbered(string outRefundNo) => Order.Refunds.Find(r => r.OutRefundNo == outRefundNo)!;

    /// <summary>Built from the stored refund and payment alone, so every send of a refund carries the identical body.</summary>
    private RefundSubmission Submission(OrderRefund refund)
    {
        var payment = OrderPayment ?? throw new InvalidOperationException($"Order {OrderNo} has a refund but no payment.");
        return new RefundSubmission(refund.OutRefundNo, payment.TransactionId, refund.AmountFen, payment.AmountFen, refund.Reason, refund.RequestedAt);
    }
}
