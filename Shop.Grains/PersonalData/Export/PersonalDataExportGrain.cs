using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Orders;
using Shop.Grains.Payments.WeChatPay;

namespace Shop.Grains.PersonalData.Export;

/// <summary>
/// Pages of a customer's orders as the customer sees them (the same view as <c>GET /api/orders/{orderNo}</c>), read
/// from the orders table rather than by activating every order grain: an export of thousands of orders must not fill
/// the silo with activations.
/// </summary>
[StatelessWorker]
public sealed class PersonalDataExportGrain(IPersonalDataOrderSource orders, PersonalDataProtector protector, ILogger<PersonalDataExportGrain> logger)
    : Grain, IPersonalDataExportGrain
{
    public async Task<ExportOrderPage> ReadOrdersAsync(string userId, ExportCursor? after, int size)
    {
        size = Math.Clamp(size, 1, IPersonalDataExportGrain.MaxPageSize);
        var page = await orders.ReadPageAsync(userId, after, size, CancellationToken.None);
        var views = page.Select(p => View(p.Order)).ToList();
        List<string> rejected = [.. page.Where(p => p.Order.Phase == OrderPhase.Rejected).Select(p => p.Order.OrderNo)];
        return new ExportOrderPage(views, page.Count == size ? page[^1].Cursor : null, rejected, await AutomaticRefundsAsync(views));
    }

    /// <summary>
    /// A payment that landed on a closed order is refunded by the payment grain, which alone keeps that refund: asked
    /// only for the few orders with such a payment, so a page still costs one query, not an activation per order.
    /// </summary>
    private async Task<Dictionary<string, IReadOnlyList<AutomaticRefund>>> AutomaticRefundsAsync(List<OrderView> orders)
    {
        var refunds = new Dictionary<string, IReadOnlyList<AutomaticRefund>>(StringComparer.Ordinal);
        if (ServiceProvider.GetService<WeChatPayEnabled>() is null)
        {
            return refunds;
        }

        foreach (var order in orders.Where(o => o.Payments.Any(p => p.NeedsRefund)))
        {
            var summary = await GrainFactory.GetGrain<IOrderPaymentGrain>(order.OrderNo).GetAsync();
            if (summary.AutomaticRefunds.Count > 0)
            {
                refunds[order.OrderNo] = summary.AutomaticRefunds;
            }
        }

        return refunds;
    }

    private OrderView View(OrderState order) => new(
        order.OrderNo, order.UserId, order.Progress.Status, order.Lines, order.TotalFen, Shipping(order), Remark(order),
        order.CreatedAt, order.ExpiresAt, order.UpdatedAt, order.Progress.History, order.Payments, order.Shipment,
        order.StockShortfall, order.Refunds, order.Fulfilment);

    /// <summary>
    /// An order whose personal fields were erased (removed, or their key destroyed) has none left to export: empty
    /// strings, never a guess, and the export of the rest goes on. The warning names only the order.
    /// </summary>
    private ShippingAddress Shipping(OrderState order)
    {
        if (order.Shipping is { } shipping)
        {
            try
            {
                return protector.Unprotect(shipping, order.OrderNo);
            }
            catch (PersonalDataUnreadableException ex)
            {
                logger.LogWarning("Order {OrderNo}: shipping details unreadable in an export ({Why})", order.OrderNo, ex.Message);
            }
        }

        return new ShippingAddress("", "", "", "", "", "");
    }

    private string? Remark(OrderState order)
    {
        try
        {
            return order.ProtectedRemark is { } sealedRemark ? protector.UnprotectRemark(sealedRemark, order.OrderNo) : order.Remark;
        }
        catch (PersonalDataUnreadableException)
        {
            return null;
        }
    }
}
