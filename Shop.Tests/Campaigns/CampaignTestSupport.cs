using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using Refit;
using Shop.Client.Campaigns;
using Shop.Client.Inventory;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Campaigns;

/// <summary>The real clock moved forward by hand: campaign windows are crossed at once, payment timeouts still run in real time.</summary>
public sealed class OffsetClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}

public static class CampaignTestSupport
{
    /// <summary>One clock for the grains (inventory, campaigns) and the orders, so windows, expiries and timers agree.</summary>
    public static void UseClock(this ShopTestCluster cluster, TimeProvider clock)
    {
        var earlier = cluster.ConfigureSiloServices;
        cluster.ConfigureSiloServices = services =>
        {
            earlier?.Invoke(services);
            services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, clock);
            services.AddKeyedSingleton<TimeProvider>(OrdersRegistration.ClockKey, clock);
        };
    }

    public static ICampaignsApi Campaigns(this ShopTestCluster cluster) => CampaignsApiClient.Create(cluster.CreateClient(TestTokens.Admin()));

    public static IStockApi Stock(this ShopTestCluster cluster) => StockApiClient.Create(cluster.CreateClient(TestTokens.Admin()));

    public static CreateCampaignRequest Campaign(string sku, DateTimeOffset startsAt, DateTimeOffset endsAt, long price = 999,
        int allotment = 10, int limit = 2, int unpaidTimeoutSeconds = 300) =>
        new("Double 11", [new CampaignSkuRequest(sku, price, allotment)], startsAt, endsAt, limit, unpaidTimeoutSeconds);

    public static async Task<CampaignResponse> CreateCampaignAsync(this ShopTestCluster cluster, CreateCampaignRequest request) =>
        Ok(await cluster.Campaigns().CreateAsync(request), HttpStatusCode.Created);

    public static async Task<CampaignResponse> CampaignAsync(this ShopTestCluster cluster, string id) =>
        Ok(await cluster.Campaigns().GetAsync(id));

    public static CreateOrderRequest CampaignOrder(string sku, string campaignId, int quantity = 1) => Request((sku, quantity)) with
    {
        Items = [new OrderItemRequest(sku, quantity, CampaignId: campaignId)],
    };

    /// <summary>Marks the order paid through the grain's payment hook (what a WeChat Pay notification ends in).</summary>
    public static Task<OrderOutcome> PayAsync(this ShopTestCluster cluster, OrderResponse order) =>
        cluster.Grains.GetGrain<IOrderGrain>(order.OrderNo).MarkPaidAsync(
            new PaymentReceipt("4200" + order.OrderNo[..24], order.TotalFen, DateTimeOffset.UtcNow));

    /// <summary>An extension member of a problem response, e.g. <c>startsAt</c>.</summary>
    public static JsonElement Extension<T>(IApiResponse<T> response, string name) =>
        JsonDocument.Parse(((ApiException)response.Error!).Content!).RootElement.GetProperty(name);
}
