using System.Net;
using System.Net.Http.Json;
using Shop.Client;
using Shop.Client.Fulfilment;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Tests.Infrastructure;
using Shop.Tests.Payments;
using Shop.WeChatPay.MiniProgram;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Fulfilment;

/// <summary>
/// The couriers a parcel may name come from WeChat's get_delivery_list as the cluster fetched it (simulator, real
/// client, real token grain, grain state in PostgreSQL), not only from the embedded file: no rebuild for a new courier.
/// </summary>
[Collection(ShippingCollection.Name)]
public sealed class CourierListTests(ShippingCluster shipping)
{
    /// <summary>跨越速运: in WeChat's real list, neither in the embedded file nor in the simulator's list until a test adds it.</summary>
    private static readonly DeliveryCompany Added = new("KYSY", "跨越速运");

    private ICourierListGrain Grain => shipping.Cluster.Grains.GetGrain<ICourierListGrain>(ICourierListGrain.Key);

    [Fact]
    public async Task A_courier_beyond_the_embedded_file_is_refused_until_the_cluster_fetched_WeChats_list_and_then_reaches_WeChat()
    {
        Assert.False(DeliveryCompanies.Embedded.IsKnown(Added.DeliveryId));
        var (_, _, order) = await shipping.PaidOrderAsync("courier", 1_999);
        var parcel = ShippingCluster.Express((Added.DeliveryId, "KY4000000000001", []));

        var before = await shipping.Admin.ShipAsync(order.OrderNo, parcel);
        Assert.Contains("parcels[0].courier", Problem(before, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors!.Keys);

        // WeChat adds the courier: still refused until the cluster fetches the list (the API asks the grain, not WeChat).
        await shipping.ControlAsync(HttpMethod.Put, "/simulator/miniprogram/delivery-list",
            new { delivery_list = (await SimulatorListAsync()).Append(Added).ToList() });
        var notFetched = await shipping.Admin.ShipAsync(order.OrderNo, parcel);
        Assert.Contains("parcels[0].courier", Problem(notFetched, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors!.Keys);

        // The cached access token no longer works at WeChat: the fetch refreshes it once (one new token) and goes on.
        var tokens = await shipping.TokensIssuedAsync();
        await shipping.ControlAsync(HttpMethod.Post, $"/simulator/miniprogram/tokens/{shipping.Merchant.AppId}/expire");
        var fetched = await Grain.RefreshAsync();
        Assert.True(fetched.Fetched, $"{fetched.ErrCode} {fetched.Error}");
        Assert.Equal(tokens + 1, await shipping.TokensIssuedAsync());
        Assert.Contains((await Grain.GetAsync())!.Couriers, c => c.DeliveryId == Added.DeliveryId);

        // The API's copy reads the grain again for a courier it does not know (at most every second): poll, no sleep.
        var shipped = await Poll.UntilAsync(() => shipping.Admin.ShipAsync(order.OrderNo, parcel), r => r.StatusCode != HttpStatusCode.BadRequest,
            TimeSpan.FromSeconds(10), "the shipment with the fetched courier to pass validation");
        Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        var upload = Assert.Single((await shipping.WeChatShippingAsync(order.OrderNo))["uploads"]!.AsArray())!;
        Assert.Equal(Added.DeliveryId, upload["shipping_list"]![0]!["express_company"]!.GetValue<string>());

        var couriers = Ok(await shipping.Admin.ListCouriersAsync());
        Assert.Contains(new CourierResponse(Added.DeliveryId, Added.DeliveryName), couriers.Couriers);
        Assert.StartsWith("WeChat get_delivery_list", couriers.Source);
    }

    [Fact]
    public async Task A_failed_fetch_and_a_restart_while_WeChat_is_away_keep_the_last_good_list()
    {
        Assert.True((await Grain.RefreshAsync()).Fetched);
        var good = (await Grain.GetAsync())!;
        Assert.Contains(good.Couriers, c => c.DeliveryId == "ZJS"); // the simulator's, beyond the embedded file

        await shipping.ControlAsync(HttpMethod.Post, "/simulator/miniprogram/faults",
            new { count = 1000, status = 200, errcode = 45009, path = "/cgi-bin/express/delivery/open_msg/get_delivery_list" });
        try
        {
            var refused = await Grain.RefreshAsync();
            Assert.Equal((false, 45009, good.Couriers.Count), (refused.Fetched, refused.ErrCode, refused.Count));
            Assert.Equal(good.FetchedAt, (await Grain.GetAsync())!.FetchedAt);

            // Every silo goes; the one that takes over reads the list from grain state while WeChat still refuses.
            var silos = shipping.Cluster.Silos.Where(s => s.IsRunning).ToList();
            await shipping.Cluster.StartSiloAsync();
            foreach (var silo in silos)
            {
                await silo.StopAsync();
            }

            var restored = (await Grain.GetAsync())!;
            Assert.Equal(good.FetchedAt, restored.FetchedAt);
            Assert.Equal(good.Couriers, restored.Couriers);
        }
        finally
        {
            await shipping.ControlAsync(HttpMethod.Delete, "/simulator/miniprogram/faults");
        }

        // The collection's next test finds the API connected to the silo that took over.
        await Poll.UntilAsync(() => shipping.Admin.ListUploadsAsync("Pending"), r => r.StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(45), "the API to reach the silo that took over");
    }

    private async Task<List<DeliveryCompany>> SimulatorListAsync()
    {
        using var http = new HttpClient { BaseAddress = shipping.SimulatorUrl };
        return (await http.GetFromJsonAsync<List<DeliveryCompany>>("/simulator/miniprogram/delivery-list"))!;
    }
}

/// <summary>Without the mini program nothing is fetched: the embedded file is the list, whatever WeChat's says.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class CourierListOffTests(PaymentsCluster payments)
{
    [Fact]
    public async Task Without_the_mini_program_the_embedded_file_is_the_courier_list()
    {
        var grain = payments.Cluster.Grains.GetGrain<ICourierListGrain>(ICourierListGrain.Key);
        Assert.False((await grain.RefreshAsync()).Fetched);
        Assert.Null(await grain.GetAsync());

        var admin = FulfilmentApiClient.Create(payments.Cluster.CreateClient(TestTokens.Admin("courier-admin")));
        var orderNo = "20261206" + new string('0', 19) + "1";
        // ZJS is in the simulator's (WeChat's) list, not in the embedded file: refused before any grain is asked.
        var beyond = await admin.ShipAsync(orderNo, ShippingCluster.Express(("ZJS", "ZJ1", [])));
        Assert.Contains("parcels[0].courier", Problem(beyond, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors!.Keys);
        // An embedded courier passes validation (the order does not exist: 404, not 400).
        Problem(await admin.ShipAsync(orderNo, ShippingCluster.Express(("SF", "SF1", []))), HttpStatusCode.NotFound, ShopErrorCodes.OrderNotFound);
        Assert.Equal(DeliveryCompanies.Embedded.Source, Ok(await admin.ListCouriersAsync()).Source);
    }
}
