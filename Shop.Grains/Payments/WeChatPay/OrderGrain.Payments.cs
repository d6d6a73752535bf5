using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Payments.WeChatPay;

namespace Shop.Grains.Orders;

/// <summary>
/// The payments feature's hooks into the order's timeout and the customer's cancel (kept here, beside the payments
/// code, so the order's own files only call them): before an unpaid order cancels, its WeChat Pay transaction is
/// closed; if WeChat Pay says it was paid, the order is marked paid instead of cancelling.
/// </summary>
public sealed partial class OrderGrain
{
    /// <summary>The payment to apply instead of cancelling, or null to cancel. Throws when WeChat Pay cannot tell yet.</summary>
    private async Task<PaymentReceipt?> PaidAtWeChatPayBeforeTimeoutAsync(bool shopperWaiting = false)
    {
        if (ServiceProvider.GetService<WeChatPayEnabled>() is null)
        {
            return null;
        }

        var paid = await GrainFactory.GetGrain<IOrderPaymentGrain>(OrderNo).CloseBeforeCancelAsync(shopperWaiting);
        if (paid is null)
        {
            return null;
        }

        if (paid.TotalFen != Order.TotalFen)
        {
            // Not this order's price: never marked paid. Cancel as usual; operators must look at the money.
            logger.LogCritical("ALERT order {OrderNo}: WeChat Pay transaction {TransactionId} paid {PaidFen} fen but the order total is {TotalFen} fen; not marked paid",
                OrderNo, paid.TransactionId, paid.TotalFen, Order.TotalFen);
            return null;
        }

        return new PaymentReceipt(paid.TransactionId, paid.TotalFen, paid.PaidAt);
    }

    /// <summary>
    /// Before the customer's cancel: the same close as at the timeout. Null means go ahead and cancel; otherwise the
    /// answer to give instead: paid at WeChat Pay (the order becomes Paid, the cancel is refused), or WeChat Pay could
    /// not confirm the transaction is closed (nothing changes: money might be on its way).
    /// </summary>
    private async Task<OrderOutcome?> CloseBeforeCustomerCancelAsync()
    {
        PaymentReceipt? paid;
        try
        {
            paid = await PaidAtWeChatPayBeforeTimeoutAsync(shopperWaiting: true);
        }
        catch (Exception ex)
        {
            // Whatever failed (unreachable, unexpected state, a timeout between grains), the transaction is not known closed.
            logger.LogWarning(ex, "Order {OrderNo}: WeChat Pay transaction not confirmed closed; the customer's cancel is refused for now", OrderNo);
            var retryAfter = ServiceProvider.GetService<IOptions<PaymentOptions>>()?.Value.RetryAfter ?? TimeSpan.FromSeconds(30);
            return new OrderOutcome(OrderOutcomeStatus.Unavailable, Detail: "WeChat Pay could not confirm that the payment is closed; try again shortly.",
                RetryAfter: retryAfter);
        }

        if (paid is null)
        {
            return null;
        }

        await MarkPaidAsync(paid);
        return new OrderOutcome(OrderOutcomeStatus.InvalidTransition, View(),
            Detail: $"The order was already paid at WeChat Pay (transaction {paid.TransactionId}) and cannot be cancelled; it is now {Order.Progress.Status}.");
    }
}
