using System.Net;
using Shop.Client.AfterSales;
using Shop.Client.Fulfilment;
using Shop.Client.Orders;
using Shop.Client.Shipping;
using Shop.Tests.AfterSales;
using Shop.Tests.Fulfilment;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.WeChatPay.Simulator.Controls;
using static Shop.Tests.Shipping.ShippingTestSupport;

namespace Shop.Tests.Shipping;

/// <summary>How after-sales treats the shipping fee, on the after-sales tests' cluster (shared).</summary>
[Collection(AfterSalesCollection.Name)]
public sealed class ShippingFeeRefundTests(AfterSalesCluster afterSales)
{
    private ShopTestCluster Cluster => afterSales.Cluster;

    [Fact]
    public async Task The_fee_goes_back_only_with_the_refund_only_request_that_empties_every_line_before_shipping()
    {
        var (token, order) = await PaidOrderWithFeeAsync("fee-refund");
        Assert.Equal((3_000L, 700L, 3_700L), (order.GoodsFen, order.ShippingFeeFen, order.TotalFen));

        // One line of two: its units only; the fee stays while something will still be sent.
        var first = await afterSales.OpenAsync(token, order.OrderNo, AfterSalesCluster.Request(AfterSalesKinds.RefundOnly, (1, 1)));
        Assert.Equal(1_000L, first.AmountFen);
        OrderTestSupport.Ok(await afterSales.Customer(token).WithdrawAsync(order.OrderNo, first.RequestId));

        // Every unit of every line before shipping: the fee too, and the order ends refunded in full.
        var all = await afterSales.OpenAsync(token, order.OrderNo, AfterSalesCluster.Request(AfterSalesKinds.RefundOnly, (1, 1), (2, 2)));
        Assert.Equal(order.TotalFen, all.AmountFen);
        var approved = OrderTestSupport.Ok(await afterSales.Admin.ApproveAsync(all.RequestId, new AfterSalesDecisionRequest("同意")));
        Assert.Equal([(approved.OutRefundNo!, order.TotalFen)], await afterSales.SimulatorRefundsAsync(order.OrderNo));
        await afterSales.Controls.SettleRefundAsync(approved.OutRefundNo!, "success");
        var refunded = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Refunded);
        Assert.Equal(order.TotalFen, refunded.RefundedFen);
    }

    [Fact]
    public async Task After_shipping_a_refund_of_every_line_leaves_the_fee_with_the_merchant()
    {
        var (token, order) = await PaidOrderWithFeeAsync("fee-shipped");
        await afterSales.ShipAsync(token, order.OrderNo, received: false);

        var all = await afterSales.OpenAsync(token, order.OrderNo, AfterSalesCluster.Request(AfterSalesKinds.RefundOnly, (1, 1), (2, 2)));
        Assert.Equal(order.GoodsFen, all.AmountFen);
    }

    [Fact]
    public async Task After_a_partial_shipment_a_refund_only_of_everything_left_keeps_the_fee_and_the_shipment_completes_without_a_parcel()
    {
        var (token, order) = await PaidOrderWithFeeAsync("fee-partial");
        var fulfilment = FulfilmentApiClient.Create(Cluster.CreateClient(TestTokens.Admin("after-sales-admin")));
        var sent = OrderTestSupport.Ok(await fulfilment.ShipAsync(order.OrderNo,
            ShippingCluster.Express(("SF", "SF1700000000001", [(order.Lines[0].SkuId, 1)])) with { Partial = true }));
        Assert.Equal(OrderStatuses.Paid, sent.Status);

        // The sent unit is not in the warehouse: a refund only cannot take it, and nothing can be returned before the rest ships.
        OrderTestSupport.Problem(await afterSales.Customer(token).OpenAsync(order.OrderNo, AfterSalesCluster.Request(AfterSalesKinds.RefundOnly, (1, 1))),
            HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesExceedsRefundable);
        OrderTestSupport.Problem(await afterSales.Customer(token).OpenAsync(order.OrderNo, AfterSalesCluster.Request(AfterSalesKinds.ReturnAndRefund, (1, 1))),
            HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesNotEligible);

        // Everything left (both units of line 2): their price only; a parcel went out, so the fee is the merchant's.
        var rest = await afterSales.OpenAsync(token, order.OrderNo, AfterSalesCluster.Request(AfterSalesKinds.RefundOnly, (2, 2)));
        Assert.Equal(2_000L, rest.AmountFen);
        var approved = OrderTestSupport.Ok(await afterSales.Admin.ApproveAsync(rest.RequestId, new AfterSalesDecisionRequest("同意")));
        await afterSales.Controls.SettleRefundAsync(approved.OutRefundNo!, "success");
        await afterSales.WaitForAsync(rest.RequestId, AfterSalesStatuses.Refunded);
        Assert.Equal([(approved.OutRefundNo!, 2_000L)], await afterSales.SimulatorRefundsAsync(order.OrderNo));

        // Nothing is left to send: a parcel would be refused, and a ship without one completes the shipment.
        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);
        Assert.Equal(2_000L, paid.RefundedFen);
        OrderTestSupport.Problem(await fulfilment.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF1700000000002", []))),
            HttpStatusCode.UnprocessableEntity, FulfilmentErrorCodes.ShipmentLinesMismatch);
        var shipped = OrderTestSupport.Ok(await fulfilment.ShipAsync(order.OrderNo, new ShipmentRequest("Express", [])));
        Assert.Equal((OrderStatuses.Shipped, "SF1700000000001"), (shipped.Status, Assert.Single(shipped.Fulfilment!.Parcels).TrackingNo));
    }

    /// <summary>A paid order of 1 × 1,000 and 2 × 1,000 fen under a per-piece template: 500 + 2 × 100 = 700 fen to Hangzhou.</summary>
    private async Task<(string Token, OrderResponse Order)> PaidOrderWithFeeAsync(string name)
    {
        afterSales.Clock.Reset();
        var template = await Cluster.TemplateAsync(new FreightTemplateRequest("Refund test", "Piece", Rule(1, 500, 1, 100)));
        var a = await Cluster.ProductAsync(template.Id, price: 1_000);
        var b = await Cluster.ProductAsync(template.Id, price: 1_000);
        var token = await afterSales.LoginAsync(name + "-" + Guid.NewGuid().ToString("N"));
        var order = await Cluster.Orders(token).CreateAsync(Order(Address(), (a, 1), (b, 2)));
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await afterSales.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);
        await afterSales.Controls.WaitUntilSettledAsync(order.OrderNo);
        return (token, paid);
    }
}
