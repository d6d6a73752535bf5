using System.Net;
using System.Text.Json;
using Shop.Client;
using Shop.Client.AfterSales;
using Shop.Client.Fulfilment;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Fulfilment;

/// <summary>
/// Partial shipments (WeChat split delivery in parts) and corrections through HTTP → order grain → PostgreSQL → the
/// simulator's upload_shipping_info; the order's history and event log keep each step.
/// </summary>
[Collection(ShippingCollection.Name)]
public sealed class PartialShipmentTests(ShippingCluster shipping)
{
    [Fact]
    public async Task A_partial_shipment_keeps_the_order_paid_uploads_a_split_delivery_not_all_delivered_and_the_rest_completes_it()
    {
        var (token, _, order) = await shipping.PaidOrderAsync("partial", 1_999, 4_999);
        var (first, second) = (order.Lines[0].SkuId, order.Lines[1].SkuId);

        var part = Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF1500000000001", [(first, 1)])) with { Partial = true }));
        Assert.Equal((OrderStatuses.Paid, true), (part.Status, part.Fulfilment!.Partial));
        Assert.Equal(("ShipPart", "Paid", "Paid"), (part.History[^1].Trigger, part.History[^1].From, part.History[^1].To));
        await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        var wechat = await shipping.WeChatShippingAsync(order.OrderNo);
        Assert.False(wechat["finish_shipping"]!.GetValue<bool>());
        var firstUpload = Assert.Single(wechat["uploads"]!.AsArray())!;
        Assert.Equal((2, false, 1), (firstUpload["delivery_mode"]!.GetValue<int>(), firstUpload["is_all_delivered"]!.GetValue<bool>(),
            firstUpload["shipping_list"]!.AsArray().Count));

        // What is left: 1 of the first line and the second line. More than that, or a correction before the end, is refused.
        Problem(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("YTO", "YT1", [(first, 2)])) with { Partial = true }),
            HttpStatusCode.UnprocessableEntity, FulfilmentErrorCodes.ShipmentLinesMismatch);
        Problem(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("YTO", "YT1", [(second, 1)]))),
            HttpStatusCode.UnprocessableEntity, FulfilmentErrorCodes.ShipmentLinesMismatch);
        Problem(await shipping.Admin.CorrectAsync(order.OrderNo, ShippingCluster.Express(("YTO", "YT1", []))),
            HttpStatusCode.Conflict, ShopErrorCodes.InvalidStateTransition);

        var rest = Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("YTO", "YT2500000000002", []))));
        Assert.Equal((OrderStatuses.Shipped, false), (rest.Status, rest.Fulfilment!.Partial));
        Assert.Equal([(1, "SF1500000000001", 1, 0), (2, "YT2500000000002", 1, 1)], rest.Fulfilment.Parcels.Select(p =>
            (p.Number, p.TrackingNo, p.Lines.Where(l => l.SkuId == first).Sum(l => l.Quantity), p.Lines.Where(l => l.SkuId == second).Sum(l => l.Quantity))));
        await Poll.UntilAsync(() => shipping.WeChatShippingAsync(order.OrderNo), w => w["finish_shipping"]!.GetValue<bool>(), TimeSpan.FromSeconds(30), "the last part at WeChat");
        wechat = await shipping.WeChatShippingAsync(order.OrderNo);
        var last = wechat["uploads"]!.AsArray()[^1]!;
        Assert.Equal((2, true, 2), (last["delivery_mode"]!.GetValue<int>(), last["is_all_delivered"]!.GetValue<bool>(), last["shipping_list"]!.AsArray().Count));
        // The parts were not WeChat's one re-upload: it is still there for a correction.
        Assert.Equal((false, 1), (wechat["reupload_used"]!.GetValue<bool>(), wechat["finish_shipping_count"]!.GetValue<int>()));
        var seen = Ok(await shipping.Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal(2, seen.Fulfilment!.Parcels.Count);
        Assert.Equal(["OrderCreated", "OrderPaid", "OrderPartlyShipped", "OrderShipped"], await EventTypesAsync(order.OrderNo, expected: 4));
    }

    [Fact]
    public async Task Units_refunded_by_a_refund_only_request_before_shipping_are_not_shipped_nor_described_to_WeChat()
    {
        var code = "refunded-unit-" + Guid.NewGuid().ToString("N");
        var token = await shipping.LoginAsync(code);
        var product = await shipping.Cluster.ProductAsync(10, 1_500);
        var order = await shipping.Cluster.Orders(token).CreateAsync(Request((product.Id, 3)));
        var payment = await shipping.Cluster.PrepayAsync(token, order.OrderNo);
        await shipping.Controls.PayAsync(new Shop.WeChatPay.Simulator.Controls.PayCommand(PrepayId: payment.PrepayId()));
        await shipping.Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);
        await shipping.Controls.WaitUntilSettledAsync(order.OrderNo);
        var sku = order.Lines[0].SkuId;

        // One of three units refunded (refund only, approved, settled) before anything is sent.
        var afterSales = AfterSalesApiClient.Create(shipping.Cluster.CreateClient(token));
        var opened = Ok(await afterSales.OpenAsync(order.OrderNo, new CreateAfterSalesRequest(AfterSalesKinds.RefundOnly, [new AfterSalesLineBody(1, 1)],
            "不想要了", null, null)), HttpStatusCode.Created);
        // Undecided, its unit may not leave in a part (approved, it would be restocked as never sent).
        var undecided = Problem(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF1600000000009", [(sku, 3)])) with { Partial = true }),
            HttpStatusCode.UnprocessableEntity, FulfilmentErrorCodes.ShipmentLinesMismatch);
        Assert.Contains("waiting for the merchant", undecided.Detail, StringComparison.Ordinal);
        var admin = AfterSalesApiClient.Create(shipping.Cluster.CreateClient(TestTokens.Admin("shipping-admin")));
        var approved = Ok(await admin.ApproveAsync(opened.RequestId, new AfterSalesDecisionRequest(null)));
        await shipping.Controls.SettleRefundAsync(approved.OutRefundNo!, "success");
        await Poll.UntilAsync(async () => Ok(await admin.GetAsAdminAsync(opened.RequestId)), r => r.Status == AfterSalesStatuses.Refunded,
            TimeSpan.FromSeconds(30), "the refund-only request to be refunded");
        await shipping.Cluster.WaitForStatusAsync(token, order.OrderNo, OrderStatuses.Paid);

        // Three units in the parcel are one too many, and the problem says why.
        var three = Problem(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF1600000000001", [(sku, 3)]))),
            HttpStatusCode.UnprocessableEntity, FulfilmentErrorCodes.ShipmentLinesMismatch);
        Assert.Contains("2 are left to ship (1 refunded)", three.Detail, StringComparison.Ordinal);

        // The rest completes the shipment: one parcel of two units, described to WeChat as two.
        var shipped = Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF1600000000002", []))));
        Assert.Equal(OrderStatuses.Shipped, shipped.Status);
        Assert.Equal([(sku, 2)], Assert.Single(shipped.Fulfilment!.Parcels).Lines.Select(l => (l.SkuId, l.Quantity)));
        await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        var upload = (await shipping.WeChatShippingAsync(order.OrderNo))["uploads"]!.AsArray()[^1]!;
        Assert.EndsWith("*2", upload["shipping_list"]![0]!["item_desc"]!.GetValue<string>(), StringComparison.Ordinal);

        // The refunded unit went back into stock once (10 − 3 + 1).
        Assert.Equal(8, (await shipping.Cluster.StockAsync(product.Id)).Available);
    }

    [Fact]
    public async Task A_correction_appears_in_the_orders_history_and_event_log_with_the_parcels_before_and_after()
    {
        var (token, _, order) = await shipping.PaidOrderAsync("corrected", 1_999);
        Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF-TYPO-7", []))));
        await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");

        Ok(await shipping.Admin.CorrectAsync(order.OrderNo, ShippingCluster.Express(("YTO", "YT-FIXED-7", []))));

        var seen = Ok(await shipping.Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        var entry = seen.History[^1];
        Assert.Equal(("CorrectShipment", "Shipped", "Shipped", "YTO YT-FIXED-7"), (entry.Trigger, entry.From, entry.To, entry.Reason));
        Assert.StartsWith("admin:", entry.Actor, StringComparison.Ordinal);
        Assert.Equal(["OrderCreated", "OrderPaid", "OrderShipped", "OrderShipmentCorrected"], await EventTypesAsync(order.OrderNo, expected: 4));
        var corrected = (await EventsAsync(order.OrderNo)).Single(e => e.Type == "OrderShipmentCorrected").Payload;
        Assert.Equal(("SF-TYPO-7", "YT-FIXED-7"), (corrected.GetProperty("before")[0].GetProperty("trackingNo").GetString(),
            corrected.GetProperty("after")[0].GetProperty("trackingNo").GetString()));
    }

    private async Task<List<string>> EventTypesAsync(string orderNo, int expected) =>
        [.. (await Poll.UntilAsync(() => EventsAsync(orderNo), e => e.Count >= expected, TimeSpan.FromSeconds(30), "the order's events")).Select(e => e.Type)];

    private Task<List<OrderEventResponse>> EventsAsync(string orderNo) => shipping.Cluster.EventsOfAsync(orderNo);
}
