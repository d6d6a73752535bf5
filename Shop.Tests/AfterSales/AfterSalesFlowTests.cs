using System.Net;
using Npgsql;
using Shop.Client;
using Shop.Client.AfterSales;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using static Shop.Tests.AfterSales.AfterSalesCluster;

namespace Shop.Tests.AfterSales;

/// <summary>After-sales end to end: HTTP → order and request grains → PostgreSQL → WeChat Pay simulator → back.</summary>
[Collection(AfterSalesCollection.Name)]
public sealed class AfterSalesFlowTests(AfterSalesCluster afterSales)
{
    private ShopTestCluster Cluster => afterSales.Cluster;

    [Fact]
    public async Task Refund_only_of_every_line_before_shipping_refunds_everything_cancels_fulfilment_and_gives_the_stock_back()
    {
        var (token, order) = await afterSales.PaidOrderAsync("before-ship", (2, 1_999), (1, 500));
        var (a, b) = (order.Lines[0].ProductId, order.Lines[1].ProductId);

        var opened = await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 2), (2, 1)));
        Assert.Equal((AfterSalesStatuses.Requested, order.TotalFen), (opened.Status, opened.AmountFen));
        Assert.Equal(opened.CreatedAt + TimeSpan.FromDays(2), opened.DueAt);
        var toReview = OrderTestSupport.Ok(await afterSales.Admin.ListAsync(AfterSalesStatuses.Requested, size: 100));
        Assert.Contains(toReview.Items, r => r.RequestId == opened.RequestId);
        Assert.True(toReview.Counts[AfterSalesStatuses.Requested] >= 1);

        var approved = OrderTestSupport.Ok(await afterSales.Admin.ApproveAsync(opened.RequestId, new AfterSalesDecisionRequest("同意退款")));
        Assert.Equal(AfterSalesStatuses.Refunding, approved.Status);
        Assert.Equal($"R{order.OrderNo}-01", approved.OutRefundNo);
        Assert.Equal([(approved.OutRefundNo!, order.TotalFen)], await afterSales.SimulatorRefundsAsync(order.OrderNo));
        await afterSales.Controls.SettleRefundAsync(approved.OutRefundNo!, "success");

        var refunded = await afterSales.WaitForAsync(opened.RequestId, AfterSalesStatuses.Refunded);
        Assert.Equal(["Open", "Approve", "RefundSucceeded"], refunded.History.Select(h => h.Trigger));
        var final = await Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Refunded);
        Assert.Equal(order.TotalFen, final.RefundedFen);
        Assert.Equal(3, final.History.Count(h => h.Trigger == "AfterSales"));
        Assert.Equal(10, (await Cluster.StockAsync(a)).Available);
        Assert.Equal(10, (await Cluster.StockAsync(b)).Available);
        OrderTestSupport.Problem(await Cluster.Orders(TestTokens.Admin()).ShipOrderAsync(order.OrderNo, new ShipOrderRequest("SF", "SF1")),
            HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);
        var events = await Poll.UntilAsync(() => afterSales.EventTypesAsync(order.OrderNo), e => e.Count(t => t == "AfterSalesProgressed") == 3, what: "events");
        Assert.Equal(["OrderCreated", "OrderPaid", "AfterSalesProgressed", "AfterSalesProgressed", "OrderRefundRequested", "OrderRefunded", "AfterSalesProgressed"], events);
        Assert.Empty(await afterSales.AuditAsync(a));
        Assert.Empty(await afterSales.AuditAsync(b));
    }

    [Fact]
    public async Task Return_and_refund_after_delivery_with_restock_refunds_the_line_and_puts_the_unit_back()
    {
        var (token, order) = await afterSales.PaidOrderAsync("return", (2, 1_999));
        var sku = order.Lines[0].ProductId;
        await afterSales.ShipAsync(token, order.OrderNo, received: true);
        var customer = afterSales.Customer(token);

        var opened = await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.ReturnAndRefund, (1, 1)));
        Assert.Equal((1_999L, sku), (opened.AmountFen, Assert.Single(opened.Lines).SkuId));
        var approved = OrderTestSupport.Ok(await afterSales.Admin.ApproveAsync(opened.RequestId, new AfterSalesDecisionRequest(null)));
        Assert.Equal(AfterSalesStatuses.AwaitingReturn, approved.Status);
        Assert.Equal(approved.UpdatedAt + TimeSpan.FromDays(7), approved.DueAt);
        OrderTestSupport.Problem(await afterSales.Admin.ConfirmReceiptAsync(opened.RequestId, new ConfirmReturnReceiptRequest(true)),
            HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);

        var sent = OrderTestSupport.Ok(await customer.SubmitReturnAsync(order.OrderNo, opened.RequestId, new SubmitReturnShipmentRequest("SF", "SF9876543210")));
        Assert.Equal((AfterSalesStatuses.ReturnShipped, "SF9876543210"), (sent.Status, sent.ReturnShipment!.TrackingNo));
        var waiting = OrderTestSupport.Ok(await afterSales.Admin.ListAsync(AfterSalesStatuses.ReturnShipped, size: 100));
        Assert.Contains(waiting.Items, r => r.RequestId == opened.RequestId);

        var received = OrderTestSupport.Ok(await afterSales.Admin.ConfirmReceiptAsync(opened.RequestId, new ConfirmReturnReceiptRequest(true)));
        Assert.Equal((AfterSalesStatuses.Refunding, true), (received.Status, received.Restock));
        // The returned unit is an explicit, audited receipt: received 10 + 1 = available 9 + reserved 0 + sold 2.
        var stock = await Cluster.StockAsync(sku);
        Assert.Equal((11L, 9L, 0L, 2L), (stock.Total, stock.Available, stock.Reserved, stock.Sold));
        await afterSales.Controls.SettleRefundAsync(received.OutRefundNo!, "success");

        var refunded = await afterSales.WaitForAsync(opened.RequestId, AfterSalesStatuses.Refunded);
        Assert.Equal(["Open", "Approve", "SubmitReturn", "ConfirmReceipt", "RefundSucceeded"], refunded.History.Select(h => h.Trigger));
        var completed = await Poll.UntilAsync(async () => OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo)),
            o => o.RefundedFen == 1_999 && o.Status == OrderStatuses.Completed, what: "the partial refund to land");
        Assert.Equal([(received.OutRefundNo!, 1_999L)], await afterSales.SimulatorRefundsAsync(order.OrderNo));
        Assert.Equal(5, completed.History.Count(h => h.Trigger == "AfterSales"));
        Assert.Empty(await afterSales.AuditAsync(sku));

        // The stock ledger's audit trail names the return: one unit received back by after-sales, for this request.
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT delta, operator, reason FROM inventory_adjustments WHERE sku = $1 AND operator = 'after-sales'", connection)
        {
            Parameters = { new NpgsqlParameter { Value = sku } },
        };
        await using var reader = await query.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((1L, "after-sales"), (reader.GetInt64(0), reader.GetString(1)));
        Assert.Contains(opened.RequestId, reader.GetString(2));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_rejected_or_withdrawn_request_gives_its_line_back_and_refunds_nothing()
    {
        var (token, order) = await afterSales.PaidOrderAsync("reject", (2, 1_999));
        var customer = afterSales.Customer(token);

        var first = await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1)));
        var busy = OrderTestSupport.Problem(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1)) with { Reason = "另一个原因" }),
            HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesLineBusy);
        Assert.Contains(first.RequestId, busy.Detail);
        OrderTestSupport.Problem(await afterSales.Admin.RejectAsync(first.RequestId, new AfterSalesDecisionRequest(null)),
            HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        var rejected = OrderTestSupport.Ok(await afterSales.Admin.RejectAsync(first.RequestId, new AfterSalesDecisionRequest("商品无质量问题")));
        Assert.Equal((AfterSalesStatuses.Rejected, "商品无质量问题"), (rejected.Status, rejected.History[^1].Reason));
        OrderTestSupport.Problem(await afterSales.Admin.ApproveAsync(first.RequestId, new AfterSalesDecisionRequest(null)),
            HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);

        var second = await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 2)));
        OrderTestSupport.Problem(await AfterSalesApiClient.Create(Cluster.CreateClient(await afterSales.LoginAsync("someone-else-" + Guid.NewGuid())))
            .WithdrawAsync(order.OrderNo, second.RequestId), HttpStatusCode.NotFound, AfterSalesErrorCodes.AfterSalesNotFound);
        var withdrawn = OrderTestSupport.Ok(await customer.WithdrawAsync(order.OrderNo, second.RequestId));
        Assert.Equal(AfterSalesStatuses.Withdrawn, withdrawn.Status);

        var mine = OrderTestSupport.Ok(await customer.ListForOrderAsync(order.OrderNo));
        Assert.Equal([(first.RequestId, AfterSalesStatuses.Rejected), (second.RequestId, AfterSalesStatuses.Withdrawn)],
            mine.Items.Select(r => (r.RequestId, r.Status)));
        var after = OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal((OrderStatuses.Paid, 0L), (after.Status, after.RefundedFen));
        Assert.Empty(await afterSales.SimulatorRefundsAsync(order.OrderNo));
    }
}
