using System.Net;
using System.Text.Json;
using Shop.Client.Audit;
using Shop.Client.Campaigns;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using static Shop.Tests.Campaigns.CampaignTestSupport;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Campaigns;

/// <summary>
/// Reservations that end exactly when their order does (no grace): a payment whose notifications are lost is found by
/// the order's close at the timeout, by which time the inventory has expired the reservation, so the payment is late
/// in the sense of <c>OrderGrain.LatePayment.cs</c>. Reconciliation far away, so only that close finds it.
/// </summary>
public sealed class LatePaymentCluster : PaymentsCluster
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Orders:ReservationGrace"] = "00:00:00",
        ["Orders:ReminderPeriod"] = "00:00:02",
        ["Orders:DueSweepInterval"] = "00:00:01",
        ["Payments:ReconcileAfter:0"] = "00:30:00",
        ["Payments:ReconcileAfter:1"] = "00:40:00",
    };
}

public sealed class LatePaymentTests(LatePaymentCluster payments) : IClassFixture<LatePaymentCluster>
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task A_campaign_order_paid_after_its_reservation_expired_is_sold_from_the_campaign_and_uses_the_quota()
    {
        var (token, sku, campaign, order) = await LatePaidCampaignOrderAsync("late-campaign", endCampaignFirst: false);

        Assert.Equal((999L, campaign.Id), (order.TotalFen, order.Lines[0].CampaignId));
        var figures = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal((1L, 0L, 4L, 1L), (figures.Sold, figures.Reserved, figures.Remaining, figures.CustomersServed));
        var stock = await Cluster.Stock().GetStockAsync(sku);
        Assert.Equal((1L, 0L, 4L, 5L), (stock.Sold, stock.Reserved, stock.Allotted, stock.Available));
        // The customer's quota (1) holds the late unit: a second campaign order is refused.
        Problem(await Cluster.Orders(token).CreateOrderAsync(CampaignOrder(sku, campaign.Id), NewKey()), HttpStatusCode.Conflict,
            CampaignErrorCodes.CampaignLimitReached);
        var resold = await ResoldEventAsync(order.OrderNo);
        Assert.Equal(("campaign", campaign.Id), (resold.GetProperty("source").GetString(), resold.GetProperty("campaignId").GetString()));
        await AssertAuditCleanAsync(sku);
    }

    [Fact]
    public async Task A_late_payment_in_a_campaign_of_two_skus_takes_the_customers_quota_again_and_keeps_it()
    {
        var other = (await Cluster.ProductAsync(10, 1_999)).Id;
        var (token, sku, campaign, order) = await LatePaidCampaignOrderAsync("late-two-skus", endCampaignFirst: false, secondSku: other);

        var figures = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal((1L, 0L), (figures.Skus.Single(s => s.SkuId == sku).Sold, figures.Reserved));
        Assert.Equal("campaign", (await ResoldEventAsync(order.OrderNo)).GetProperty("source").GetString());
        // The lapse let the quota's hold go with the reservation; the resale took it again and the payment kept it, so
        // the campaign's limit of 1 now refuses the other SKU too.
        Problem(await Cluster.Orders(token).CreateOrderAsync(CampaignOrder(other, campaign.Id), NewKey()), HttpStatusCode.Conflict,
            CampaignErrorCodes.CampaignLimitReached);
        await AssertAuditCleanAsync(sku);
    }

    [Fact]
    public async Task A_late_payment_after_the_campaign_ended_is_sold_from_general_stock_at_the_price_paid()
    {
        var (_, sku, campaign, order) = await LatePaidCampaignOrderAsync("late-ended", endCampaignFirst: true);

        Assert.Equal((OrderStatuses.Paid, 999L), (order.Status, order.TotalFen));
        var figures = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal(("Ended", 0L, 0L, 0L), (figures.Status, figures.Sold, figures.Reserved, figures.Remaining));
        var stock = await Cluster.Stock().GetStockAsync(sku);
        Assert.Equal((1L, 0L, 0L, 9L), (stock.Sold, stock.Reserved, stock.Allotted, stock.Available));
        var resold = await ResoldEventAsync(order.OrderNo);
        Assert.Equal(("general", "CampaignEnded"), (resold.GetProperty("source").GetString(), resold.GetProperty("campaignRefusal").GetString()));
        await AssertAuditCleanAsync(sku);
    }

    /// <summary>
    /// A WeChat customer's campaign order (price 999, allotment 5, limit 1, 3 s to pay), paid at the simulator with
    /// every notification lost; optionally the campaign is ended by the admin before the order's timeout finds the payment.
    /// </summary>
    private async Task<(string Token, string Sku, CampaignResponse Campaign, OrderResponse Order)> LatePaidCampaignOrderAsync(
        string name, bool endCampaignFirst, string? secondSku = null)
    {
        var token = await payments.LoginAsync(name + "-" + Guid.NewGuid().ToString("N"));
        var sku = (await Cluster.ProductAsync(10, 1_999)).Id;
        var now = DateTimeOffset.UtcNow;
        var request = Campaign(sku, now.AddSeconds(-1), now.AddHours(1), price: 999, allotment: 5, limit: 1, unpaidTimeoutSeconds: 3);
        if (secondSku is not null)
        {
            request = request with { Skus = [.. request.Skus!, new CampaignSkuRequest(secondSku, 999, 5)] };
        }

        var campaign = await Cluster.CreateCampaignAsync(request);
        var created = Ok(await Cluster.Orders(token).CreateOrderAsync(CampaignOrder(sku, campaign.Id), NewKey()), HttpStatusCode.Created);
        var payment = await Cluster.PrepayAsync(token, created.OrderNo);
        await payments.Controls.ArmAsync(created.OrderNo, "drop", new { count = 100 });
        await payments.Controls.PayAsync(new Shop.WeChatPay.Simulator.Controls.PayCommand(PrepayId: payment.PrepayId()));
        if (endCampaignFirst)
        {
            Ok(await Cluster.Campaigns().EndAsync(campaign.Id));
        }

        var paid = await Cluster.WaitForStatusAsync(token, created.OrderNo, OrderStatuses.Paid);
        Assert.DoesNotContain(paid.History, h => h.Trigger == "PaymentTimeout");
        return (token, sku, campaign, paid);
    }

    private async Task<JsonElement> ResoldEventAsync(string orderNo)
    {
        var found = await Poll.UntilAsync(() => Cluster.EventsOfAsync(orderNo),
            all => all.Any(e => e.Type == "OrderStockResold"), what: "the OrderStockResold event");
        return found.Single(e => e.Type == "OrderStockResold").Payload;
    }

    private async Task AssertAuditCleanAsync(string sku)
    {
        var audit = await StockAuditApiClient.Create(Cluster.CreateClient(TestTokens.Admin())).AuditStockAsync();
        Assert.DoesNotContain(audit.Discrepancies, d => d.Sku == sku);
    }
}
