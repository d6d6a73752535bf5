using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Payments.WeChatPay;

namespace Shop.Grains.Orders;

/// <summary>
/// The payments feature's hook into the order's timeout (kept here, beside the payments code, so the order's own files
/// only call it): before an unpaid order cancels, its WeChat Pay transaction is closed; if WeChat Pay says it was paid,
/// the order is marked paid instead of cancelling.
/// </summary>
public sealed partial class OrderGrain
{
    /// <summary>The payment to apply instead of cancelling, or null to cancel. Throws when WeChat Pay cannot tell yet.</summary>
    private async Task<PaymentReceipt?> PaidAtWeChatPayBeforeTimeoutAsync()
    {
        if (ServiceProvider.GetService<WeChatPayEnabled>() is null)
        {
            return null;
        }

        var paid = await GrainFactory.GetGrain<IOrderPaymentGrain>(OrderNo).CloseBeforeCancelAsync();
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
}
