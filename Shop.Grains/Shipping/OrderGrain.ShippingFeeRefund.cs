using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>How after-sales treats the shipping fee (see the README's after-sales section).</summary>
public sealed partial class OrderGrain
{
    /// <summary>
    /// The shipping fee a refund-only request made before shipping adds to its amount when, with the requests already
    /// holding lines, it leaves no unit of any line: nothing will be sent, so the postage goes back and the order ends
    /// refunded in full. After shipping (the goods travelled, also when only a part went: the order is still Paid then,
    /// but a parcel was paid for), or while any unit stays, the fee is the merchant's.
    /// </summary>
    private long ShippingFeeRefundedWith(AfterSalesKind kind, IReadOnlyList<AfterSalesLine> claimed)
    {
        var status = Order.Progress.Status == OrderStatus.Refunding ? Order.Progress.StatusBeforeRefund : Order.Progress.Status;
        if (Order.ShippingFeeFen == 0 || kind != AfterSalesKind.RefundOnly || status != OrderStatus.Paid || Order.Shipment is not null || Order.Fulfilment is not null)
        {
            return 0;
        }

        var held = Order.AfterSales.Where(c => c.HoldsLines).SelectMany(c => c.Opened.Lines).Concat(claimed).ToList();
        return Order.Lines.Select((line, i) => held.Where(l => l.LineNo == i + 1).Sum(l => l.Quantity) >= line.Quantity).All(covered => covered)
            ? Order.ShippingFeeFen
            : 0;
    }
}
