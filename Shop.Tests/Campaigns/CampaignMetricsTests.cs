using System.Net;
using Orleans.Core.Internal;
using Shop.Grains.Campaigns;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Campaigns.CampaignTestSupport;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Campaigns;

/// <summary>
/// The campaign gauges on the silo's <c>/metrics</c>, by value: the figures of known orders in the campaign's own series,
/// still there once its SKU's grain or its own grain is deactivated, and gone once the campaign ended.
/// </summary>
public sealed partial class CampaignOrderTests
{
    [Fact]
    public async Task The_campaign_gauges_show_its_known_figures_keep_them_while_its_sku_grain_is_deactivated_and_drop_it_once_ended()
    {
        var p = await Cluster.ProductAsync(20);
        var campaign = await Cluster.CreateCampaignAsync(Campaign(p.Id, Now.AddSeconds(-1), Now.AddHours(1), allotment: 6, limit: 5));

        // Reserved 2 (unpaid), sold 1 + 2 to two customers, and a unit reserved then cancelled (back in the allotment).
        Ok(await Cluster.Orders(TestTokens.Customer("m-holder")).CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 2), NewKey()), HttpStatusCode.Created);
        await Cluster.PayAsync(Ok(await Cluster.Orders(TestTokens.Customer("m-buyer1")).CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 1), NewKey()), HttpStatusCode.Created));
        await Cluster.PayAsync(Ok(await Cluster.Orders(TestTokens.Customer("m-buyer2")).CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 2), NewKey()), HttpStatusCode.Created));
        var canceller = Cluster.Orders(TestTokens.Customer("m-canceller"));
        Ok(await canceller.CancelOrderAsync(Ok(await canceller.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 1), NewKey()), HttpStatusCode.Created).OrderNo));

        var expected = (Sold: 3.0, Reserved: 2.0, Remaining: 1.0, CustomersServed: 2.0);
        var view = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal((3L, 2L, 1L, 2), (view.Sold, view.Reserved, view.Remaining, view.CustomersServed));
        // The gauges are published every second here and the exporter caches a scrape for a moment: polled.
        await Poll.UntilAsync(Scrape, m => Figures(m, campaign.Id) == expected, TimeSpan.FromSeconds(15), "the campaign's figures on /metrics");

        // Deactivate only this SKU's grain. A figure that lived with the SKU grain's activation would be gone from every
        // scrape made after that; the campaign's stays, through three publication periods (longer than the scrape cache).
        await Cluster.Grains.GetGrain<IInventoryGrain>(p.Id).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(expected, Figures(await ScrapeThreePeriodsAfterNowAsync(), campaign.Id));

        // The campaign's own grain deactivated: its end reminder (every second here) brings it back, and it publishes again.
        await Cluster.Grains.GetGrain<ICampaignGrain>(campaign.Id).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(expected, Figures(await ScrapeThreePeriodsAfterNowAsync(), campaign.Id));

        // An ended campaign has no series any more: the cardinality is the campaigns not yet ended.
        Ok(await Cluster.Campaigns().EndAsync(campaign.Id));
        // (Its sold units and customers are not 0, so a series still there would not read 0.)
        await Poll.UntilAsync(Scrape, m => Figures(m, campaign.Id) == (0, 0, 0, 0), TimeSpan.FromSeconds(15), "the ended campaign's series gone");
    }

    /// <summary>A scrape made three publication periods (1 s here) after now: longer than the exporter's scrape cache.</summary>
    private async Task<PrometheusText> ScrapeThreePeriodsAfterNowAsync()
    {
        var from = DateTimeOffset.UtcNow;
        var later = await Poll.UntilAsync(async () => (At: DateTimeOffset.UtcNow, Metrics: await Scrape()),
            s => s.At > from.AddSeconds(3), TimeSpan.FromSeconds(15), "a scrape three publication periods later");
        return later.Metrics;
    }

    private Task<PrometheusText> Scrape() => PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress);

    private static (double Sold, double Reserved, double Remaining, double CustomersServed) Figures(PrometheusText metrics, string campaignId)
    {
        var label = (CampaignMetrics.Names.CampaignLabel, campaignId);
        return (metrics.Sum(CampaignMetrics.Names.UnitsSold, label), metrics.Sum(CampaignMetrics.Names.UnitsReserved, label),
            metrics.Sum(CampaignMetrics.Names.AllotmentRemaining, label), metrics.Sum(CampaignMetrics.Names.CustomersServed, label));
    }
}
