using System.Net;
using System.Text.Json.Nodes;
using Shop.Client;
using Shop.Client.Fulfilment;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.WeChatPay.MiniProgram;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Fulfilment;

/// <summary>
/// Shipping through HTTP → order grain → PostgreSQL → the simulator's WeChat shipping API (real client, real token
/// grain): what reaches WeChat, and what happens when WeChat is down, refuses, or no longer takes our token.
/// </summary>
[Collection(ShippingCollection.Name)]
public sealed class ShippingUploadTests(ShippingCluster shipping)
{
    [Fact]
    public async Task A_split_shipment_reaches_WeChat_with_every_required_field_and_the_customer_sees_the_parcels()
    {
        var (token, openId, order) = await shipping.PaidOrderAsync("split", 1_999, 4_999);
        var (first, second) = (order.Lines[0].SkuId, order.Lines[1].SkuId);

        var shipped = Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(
            ("SF", "SF1400000000001", [(first, 1)]),
            ("YTO", "YT2400000000002", [(first, 1), (second, 1)]))));
        Assert.Equal(OrderStatuses.Shipped, shipped.Status);
        var upload = await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        Assert.Equal(1, upload.Attempts);

        var wechat = await shipping.WeChatShippingAsync(order.OrderNo);
        Assert.True(wechat["finish_shipping"]!.GetValue<bool>());
        var body = Assert.Single(wechat["uploads"]!.AsArray())!.AsObject();
        Assert.Equal(1, body["order_key"]!["order_number_type"]!.GetValue<int>());
        Assert.Equal(shipping.Merchant.MchId, body["order_key"]!["mchid"]!.GetValue<string>());
        Assert.Equal(order.OrderNo, body["order_key"]!["out_trade_no"]!.GetValue<string>());
        Assert.Equal(1, body["logistics_type"]!.GetValue<int>());
        Assert.Equal(2, body["delivery_mode"]!.GetValue<int>());
        Assert.True(body["is_all_delivered"]!.GetValue<bool>());
        Assert.Equal(openId, body["payer"]!["openid"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$", body["upload_time"]!.GetValue<string>());
        var list = body["shipping_list"]!.AsArray();
        Assert.Equal(["SF", "YTO"], list.Select(p => p!["express_company"]!.GetValue<string>()));
        Assert.Equal(["SF1400000000001", "YT2400000000002"], list.Select(p => p!["tracking_no"]!.GetValue<string>()));
        Assert.Equal($"{order.Lines[0].Name}*1", list[0]!["item_desc"]!.GetValue<string>());
        Assert.Equal($"{order.Lines[0].Name}*1;{order.Lines[1].Name}*1", list[1]!["item_desc"]!.GetValue<string>());
        // The receiver's phone masked except its last 4 digits (WeChat requires a contact for SF).
        Assert.All(list, p => Assert.Equal("138****5678", p!["contact"]!["receiver_contact"]!.GetValue<string>()));

        // WeChat's own view through the real client: get_order says shipped, split, finished once.
        using var http = new HttpClient { BaseAddress = shipping.SimulatorUrl };
        var wechatApi = Refit.RestService.For<IWeChatMiniProgramApi>(http);
        var accessToken = (await wechatApi.StableTokenAsync(new StableTokenRequest("client_credential", shipping.Merchant.AppId, PaymentsCluster.AppSecret, false))).AccessToken!;
        var state = await wechatApi.GetOrderAsync(accessToken, new GetShippingOrderRequest(shipping.Merchant.MchId, order.OrderNo));
        Assert.Equal(0, state.ErrCode);
        Assert.Equal((2, openId, order.TotalFen), (state.Order!.OrderState, state.Order.OpenId, state.Order.PaidAmount));
        Assert.Equal((2, 1, true, 1), (state.Order.Shipping!.DeliveryMode, state.Order.Shipping.LogisticsType, state.Order.Shipping.FinishShipping,
            state.Order.Shipping.FinishShippingCount));
        Assert.Equal(2, state.Order.Shipping.ShippingList.Count);

        var seen = Ok(await shipping.Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal("Express", seen.Fulfilment!.LogisticsType);
        Assert.Equal([("SF", "顺丰速运", "SF1400000000001"), ("YTO", "圆通速递", "YT2400000000002")],
            seen.Fulfilment.Parcels.Select(p => (p.Courier, p.CourierName, p.TrackingNo)));
        Assert.Equal([new ParcelLineResponse(first, 1), new ParcelLineResponse(second, 1)], seen.Fulfilment.Parcels[1].Lines);
    }

    [Fact]
    public async Task Parcels_must_hold_exactly_the_order_and_name_couriers_from_WeChats_list()
    {
        var (_, _, order) = await shipping.PaidOrderAsync("mismatch", 1_999, 2_999);
        var (first, second) = (order.Lines[0].SkuId, order.Lines[1].SkuId);

        var short1 = await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF1", [(first, 2)]), ("ZTO", "ZT1", [(second, 2)])));
        Problem(short1, HttpStatusCode.UnprocessableEntity, FulfilmentErrorCodes.ShipmentLinesMismatch);
        var unknown = await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("顺丰", "SF1", [])));
        Assert.Contains("parcels[0].courier", Problem(unknown, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors!.Keys);
        var tooMany = await shipping.Admin.ShipAsync(order.OrderNo, new ShipmentRequest("Express",
            [.. Enumerable.Range(0, 16).Select(k => new ParcelRequest("SF", $"SF{k}", [new ParcelLineRequest(first, 1)]))]));
        Assert.Contains("parcels", Problem(tooMany, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors!.Keys);
        var splitPickup = await shipping.Admin.ShipAsync(order.OrderNo, new ShipmentRequest("Pickup", [new ParcelRequest("SF", "SF1", [])]));
        Assert.Contains("parcels", Problem(splitPickup, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors!.Keys);

        Assert.Equal(OrderStatuses.Paid, Ok(await shipping.Cluster.Orders(TestTokens.Admin()).GetOrderAsync(order.OrderNo)).Status);
    }

    [Fact]
    public async Task An_upload_during_a_WeChat_outage_is_retried_until_it_goes_through()
    {
        var (_, _, order) = await shipping.PaidOrderAsync("outage", 1_999);
        await shipping.ControlAsync(HttpMethod.Post, "/simulator/miniprogram/faults",
            new { count = 2, status = 503, path = "/wxa/sec/order/upload_shipping_info" });
        try
        {
            Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("ZTO", "ZT7700000000001", []))));
            var pending = await Poll.UntilAsync(async () => Ok(await shipping.Admin.GetUploadAsync(order.OrderNo)), u => u.Attempts >= 1,
                TimeSpan.FromSeconds(30), "a first attempt");
            Assert.True(pending.State is "Pending" or "Uploaded", pending.State);

            var upload = await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
            Assert.Equal(3, upload.Attempts);
            Assert.Null(upload.ErrorCode);
            Assert.Single((await shipping.WeChatShippingAsync(order.OrderNo))["uploads"]!.AsArray());

            // Operators see it: retries and uploads counted by result on the silo's /metrics.
            var silo = await Shop.Tests.Deploy.PrometheusText.ScrapeAsync(shipping.Cluster.Silos.First(s => s.IsRunning).HttpAddress);
            Assert.True(silo.Sum("shop_shipping_uploads_total", ("result", "retry")) >= 2);
            Assert.True(silo.Sum("shop_shipping_uploads_total", ("result", "uploaded")) >= 1);
        }
        finally
        {
            await shipping.ControlAsync(HttpMethod.Delete, "/simulator/miniprogram/faults");
        }
    }

    [Fact]
    public async Task A_permanent_refusal_stops_the_upload_records_WeChats_errcode_and_lists_it_until_an_admin_retries()
    {
        var (_, _, order) = await shipping.PaidOrderAsync("refused", 1_999);
        await shipping.ControlAsync(HttpMethod.Post, "/simulator/miniprogram/faults",
            new { count = 1, status = 200, errcode = 10060004, path = "/wxa/sec/order/upload_shipping_info" });
        Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("STO", "ST7700000000001", []))));

        var failed = await shipping.WaitForUploadAsync(order.OrderNo, "Failed");
        Assert.Equal("10060004", failed.ErrorCode);
        Assert.Equal(1, failed.Attempts);
        var listed = Ok(await shipping.Admin.ListUploadsAsync("Failed"));
        Assert.Contains(listed.Items, i => i.OrderNo == order.OrderNo && i.ErrorCode == "10060004");
        Assert.Empty((await shipping.WeChatShippingAsync(order.OrderNo))["uploads"]!.AsArray());

        Problem(await shipping.Admin.RetryUploadAsync("20261206000000000000000000"), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        Ok(await shipping.Admin.RetryUploadAsync(order.OrderNo));
        var uploaded = await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        Assert.Equal(1, uploaded.Attempts);
        Assert.DoesNotContain(Ok(await shipping.Admin.ListUploadsAsync("Failed")).Items, i => i.OrderNo == order.OrderNo);
        Problem(await shipping.Admin.RetryUploadAsync(order.OrderNo), HttpStatusCode.Conflict, FulfilmentErrorCodes.ShippingUploadNotFailed);
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_once_and_the_upload_goes_through()
    {
        var (_, _, warm) = await shipping.PaidOrderAsync("token-warm", 1_999);
        Ok(await shipping.Admin.ShipAsync(warm.OrderNo, ShippingCluster.Express(("YD", "YD1", []))));
        await shipping.WaitForUploadAsync(warm.OrderNo, "Uploaded");
        var (_, _, order) = await shipping.PaidOrderAsync("token-expired", 1_999);
        var issued = await shipping.TokensIssuedAsync();

        await shipping.ControlAsync(HttpMethod.Post, $"/simulator/miniprogram/tokens/{shipping.Merchant.AppId}/expire");
        Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("JD", "JD0001", []))));

        var upload = await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        Assert.Equal(1, upload.Attempts);
        Assert.Equal(issued + 1, await shipping.TokensIssuedAsync());
        Assert.Single((await shipping.WeChatShippingAsync(order.OrderNo))["uploads"]!.AsArray());
    }

    [Fact]
    public async Task A_correction_uses_WeChats_one_reupload_and_a_second_is_refused()
    {
        var (_, _, order) = await shipping.PaidOrderAsync("reupload", 1_999);
        Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("SF", "SF-WRONG-1", []))));
        await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");

        var corrected = Ok(await shipping.Admin.CorrectAsync(order.OrderNo, ShippingCluster.Express(("YTO", "YT-RIGHT-1", []))));
        Assert.Equal("YT-RIGHT-1", corrected.Fulfilment!.Parcels.Single().TrackingNo);
        var upload = await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        Assert.True(upload.IsReupload);
        var wechat = await shipping.WeChatShippingAsync(order.OrderNo);
        Assert.True(wechat["reupload_used"]!.GetValue<bool>());
        Assert.Equal(["SF-WRONG-1", "YT-RIGHT-1"], wechat["uploads"]!.AsArray().Select(u => u!["shipping_list"]![0]!["tracking_no"]!.GetValue<string>()));

        Problem(await shipping.Admin.CorrectAsync(order.OrderNo, ShippingCluster.Express(("ZTO", "ZT-THIRD", []))),
            HttpStatusCode.Conflict, FulfilmentErrorCodes.ShippingReuploadUsed);
    }

    [Fact]
    public async Task A_batch_ships_virtual_and_pickup_orders_and_answers_each_order_on_its_own()
    {
        var (_, _, virtualGoods) = await shipping.PaidOrderAsync("virtual", 999);
        var (_, _, pickup) = await shipping.PaidOrderAsync("pickup", 1_999, 2_999);
        var unpaid = await shipping.Cluster.Orders(await shipping.LoginAsync("unpaid-" + Guid.NewGuid().ToString("N")))
            .CreateAsync(Request(((await shipping.Cluster.ProductAsync(5)).Id, 1)));

        var batch = Ok(await shipping.Admin.ShipBatchAsync(new BatchShipmentRequest(
        [
            new BatchShipmentItem(virtualGoods.OrderNo, "Virtual", []),
            new BatchShipmentItem(pickup.OrderNo, "Pickup", null),
            new BatchShipmentItem(unpaid.OrderNo, "Express", [new ParcelRequest("SF", "SF-NOT-PAID", [])]),
        ])));

        Assert.Equal((2, 1), (batch.Shipped, batch.Failed));
        Assert.Equal([(virtualGoods.OrderNo, 200, null), (pickup.OrderNo, 200, null), (unpaid.OrderNo, 409, ShopErrorCodes.InvalidStateTransition)],
            batch.Results.Select(r => (r.OrderNo, r.Status, r.Code)));
        Assert.Equal(("Virtual", 0), (batch.Results[0].Order!.Fulfilment!.LogisticsType, batch.Results[0].Order!.Fulfilment!.Parcels.Count));
        Assert.Equal(OrderStatuses.PendingPayment, Ok(await shipping.Cluster.Orders(TestTokens.Admin()).GetOrderAsync(unpaid.OrderNo)).Status);

        foreach (var (orderNo, logisticsType, desc) in new[]
        {
            (virtualGoods.OrderNo, 3, $"{virtualGoods.Lines[0].Name}*2"),
            (pickup.OrderNo, 4, $"{pickup.Lines[0].Name}*2;{pickup.Lines[1].Name}*1"),
        })
        {
            await shipping.WaitForUploadAsync(orderNo, "Uploaded");
            var body = Assert.Single((await shipping.WeChatShippingAsync(orderNo))["uploads"]!.AsArray())!.AsObject();
            Assert.Equal((logisticsType, 1), (body["logistics_type"]!.GetValue<int>(), body["delivery_mode"]!.GetValue<int>()));
            var only = Assert.Single(body["shipping_list"]!.AsArray())!.AsObject();
            Assert.Equal(desc, only["item_desc"]!.GetValue<string>());
            Assert.False(only.ContainsKey("tracking_no"));
        }
    }
}
