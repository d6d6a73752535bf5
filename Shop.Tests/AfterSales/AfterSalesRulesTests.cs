using System.Net;
using Shop.Client;
using Shop.Client.AfterSales;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.Tests.Payments.Refunds;
using static Shop.Tests.AfterSales.AfterSalesCluster;

namespace Shop.Tests.AfterSales;

/// <summary>The deadlines (on the after-sales clock), the window, and the money limits of after-sales requests.</summary>
[Collection(AfterSalesCollection.Name)]
public sealed class AfterSalesRulesTests(AfterSalesCluster afterSales)
{
    private ShopTestCluster Cluster => afterSales.Cluster;

    [Fact]
    public async Task Without_a_merchant_decision_a_return_is_approved_automatically_and_closes_when_nothing_is_sent_back()
    {
        var (token, order) = await afterSales.PaidOrderAsync("deadlines", (2, 1_999));
        await afterSales.ShipAsync(token, order.OrderNo, received: false);
        var opened = await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.ReturnAndRefund, (1, 2)));

        afterSales.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.Equal(AfterSalesStatuses.Requested, OrderTestSupport.Ok(await afterSales.Admin.GetAsAdminAsync(opened.RequestId)).Status);
        afterSales.Clock.Advance(TimeSpan.FromMinutes(2));
        var approved = await afterSales.WaitForAsync(opened.RequestId, AfterSalesStatuses.AwaitingReturn);
        Assert.Equal(("AutoApprove", "system"), (approved.History[^1].Trigger, approved.History[^1].Actor));

        afterSales.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var closed = await afterSales.WaitForAsync(opened.RequestId, AfterSalesStatuses.Closed);
        Assert.Equal(["Open", "AutoApprove", "ReturnDeadlinePassed"], closed.History.Select(h => h.Trigger));
        Assert.Null(closed.DueAt);
        OrderTestSupport.Problem(await afterSales.Customer(token).SubmitReturnAsync(order.OrderNo, opened.RequestId, new SubmitReturnShipmentRequest("SF", "SF1")),
            HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);

        // The closed request gave its line back: the customer may ask again (the order is still Shipped, inside the window).
        await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.ReturnAndRefund, (1, 2)));
        var history = OrderTestSupport.Ok(await Cluster.Orders(token).GetOrderAsync(order.OrderNo)).History.Where(h => h.Trigger == "AfterSales").ToList();
        Assert.Equal(4, history.Count);
        Assert.Contains("AwaitingReturn → Closed", history[2].Reason);
    }

    [Fact]
    public async Task A_request_after_the_window_or_for_an_order_that_cannot_take_one_is_refused()
    {
        var (token, order) = await afterSales.PaidOrderAsync("window", (1, 1_999));
        var customer = afterSales.Customer(token);
        OrderTestSupport.Problem(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.ReturnAndRefund, (1, 1))),
            HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesNotEligible);
        await afterSales.ShipAsync(token, order.OrderNo, received: true);

        afterSales.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        OrderTestSupport.Problem(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.ReturnAndRefund, (1, 1))),
            HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesWindowClosed);
        afterSales.Clock.Advance(TimeSpan.FromMinutes(-2));
        await afterSales.OpenAsync(token, order.OrderNo, Request(AfterSalesKinds.ReturnAndRefund, (1, 1)));

        var unpaid = await Cluster.Orders(token).CreateAsync(OrderTestSupport.Request((order.Lines[0].ProductId, 1)));
        OrderTestSupport.Problem(await customer.OpenAsync(unpaid.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1))),
            HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesNotEligible);
        OrderTestSupport.Problem(await afterSales.Customer(await afterSales.LoginAsync("stranger-" + Guid.NewGuid()))
            .OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1))), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);

        var invalid = OrderTestSupport.Problem(await customer.OpenAsync(order.OrderNo, new CreateAfterSalesRequest("Exchange",
                [new AfterSalesLineBody(1, 0)], "", null, ["http://img.example.com/a.jpg", "javascript:alert(1)"])),
            HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.Equal(["kind", "lines[0].quantity", "photoUrls[0]", "photoUrls[1]", "reason"], invalid.Errors!.Keys.Order());
        OrderTestSupport.Problem(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (2, 1))),
            HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task Racing_requests_and_merchant_refunds_never_refund_more_than_a_line_was_paid()
    {
        var (token, order) = await afterSales.PaidOrderAsync("race", (2, 1_999), (1, 500));
        var customer = afterSales.Customer(token);

        // Ten different requests for the same line at once: the order decides them one at a time, so exactly one claims it.
        var raced = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => customer.OpenAsync(order.OrderNo,
            Request(AfterSalesKinds.RefundOnly, (1, 1)) with { Reason = $"不想要了 {i}" })));
        var winner = Assert.Single(raced, r => r.StatusCode == HttpStatusCode.Created).Content!;
        Assert.All(raced.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => OrderTestSupport.Problem(r, HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesLineBusy));

        // The same request sent again (its answer lost) is answered with the request it made, not a second one.
        var repeat = OrderTestSupport.Ok(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1)) with { Reason = winner.Reason }),
            HttpStatusCode.Created);
        Assert.Equal(winner.RequestId, repeat.RequestId);

        // While it is open its money is promised: the merchant's own refund may take only the rest.
        var tooMuch = await Cluster.Orders(TestTokens.Admin()).RefundOrderAsync(order.OrderNo, new CreateRefundRequest(order.TotalFen, "整单退款"), Guid.NewGuid().ToString());
        OrderTestSupport.Problem(tooMuch, HttpStatusCode.Conflict, RefundErrorCodes.RefundExceedsPaid);
        Assert.Equal(order.TotalFen - 1_999, tooMuch.Extension("refundableFen").GetInt64());

        var approved = OrderTestSupport.Ok(await afterSales.Admin.ApproveAsync(winner.RequestId, new AfterSalesDecisionRequest(null)));
        await afterSales.Controls.SettleRefundAsync(approved.OutRefundNo!, "success");
        await afterSales.WaitForAsync(winner.RequestId, AfterSalesStatuses.Refunded);

        // One unit of line 1 is left: two units are refused, and of two racing requests for it only one gets it.
        var exceeds = await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 2)));
        OrderTestSupport.Problem(exceeds, HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesExceedsRefundable);
        Assert.Equal(1_999, exceeds.Extension("refundableFen").GetInt64());
        var second = await Task.WhenAll(
            customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1))),
            customer.OpenAsync(order.OrderNo, new CreateAfterSalesRequest(AfterSalesKinds.RefundOnly, [new AfterSalesLineBody(1, 1), new AfterSalesLineBody(2, 1)], "不想要了", null, null)));
        var last = Assert.Single(second, r => r.StatusCode == HttpStatusCode.Created).Content!;
        OrderTestSupport.Problem(Assert.Single(second, r => r.StatusCode != HttpStatusCode.Created), HttpStatusCode.Conflict, AfterSalesErrorCodes.AfterSalesLineBusy);

        var lastApproved = OrderTestSupport.Ok(await afterSales.Admin.ApproveAsync(last.RequestId, new AfterSalesDecisionRequest(null)));
        await afterSales.Controls.SettleRefundAsync(lastApproved.OutRefundNo!, "success");
        await afterSales.WaitForAsync(last.RequestId, AfterSalesStatuses.Refunded);
        // Nothing of line 1 is left (when the two-line request won, nothing at all: the order is Refunded).
        OrderTestSupport.Problem(await customer.OpenAsync(order.OrderNo, Request(AfterSalesKinds.RefundOnly, (1, 1))), HttpStatusCode.Conflict,
            last.Lines.Count == 2 ? AfterSalesErrorCodes.AfterSalesNotEligible : AfterSalesErrorCodes.AfterSalesExceedsRefundable);

        // Refunded before shipping, every refunded unit is back in stock, and the audit agrees.
        Assert.Equal(10, (await Cluster.StockAsync(order.Lines[0].ProductId)).Available);
        Assert.Equal(last.Lines.Count == 2 ? 10 : 9, (await Cluster.StockAsync(order.Lines[1].ProductId)).Available);
        Assert.Empty(await afterSales.AuditAsync(order.Lines[0].ProductId));
        var paidOut = await afterSales.SimulatorRefundsAsync(order.OrderNo);
        Assert.Equal([(approved.OutRefundNo!, 1_999L), (lastApproved.OutRefundNo!, last.AmountFen)], paidOut);
        Assert.True(paidOut.Sum(r => r.Fen) <= order.TotalFen);
    }
}
