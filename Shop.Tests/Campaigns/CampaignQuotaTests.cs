using System.Net;
using Shop.Client.Campaigns;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Orleans.Core.Internal;
using Shop.Grains.Campaigns.Quota;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Tests.Cart;
using Shop.Tests.Catalog;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Campaigns.CampaignTestSupport;
using static Shop.Tests.Catalog.VariantSeed;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Campaigns;

/// <summary>
/// A campaign over the two variant SKUs of one T-shirt: the per-customer limit holds per campaign, across its SKUs
/// (each SKU's own ledger alone would let a customer buy the limit of every size).
/// </summary>
public sealed partial class CampaignOrderTests
{
    [Fact]
    public async Task A_campaign_over_two_variants_limits_each_customer_across_both_skus_and_a_cancel_gives_the_quota_back_even_after_a_restart()
    {
        var (campaign, white, black) = await TShirtCampaignAsync(limit: 2);
        var shopper = Cluster.Orders(TestTokens.Customer("two-sizes"));

        var whites = Ok(await shopper.CreateOrderAsync(VariantOrder(campaign.Id, (white, 2)), NewKey()), HttpStatusCode.Created);
        var refused = Problem(await shopper.CreateOrderAsync(VariantOrder(campaign.Id, (black, 1)), NewKey()), HttpStatusCode.Conflict,
            CampaignErrorCodes.CampaignLimitReached);
        Assert.Contains("across its SKUs", refused.Detail, StringComparison.Ordinal);
        Assert.Equal((2L, 0L), await ReservedAsync(campaign.Id, white, black));

        // The cancel gives both units back: one of each size then fits, and a third unit does not.
        Ok(await shopper.CancelOrderAsync(whites.OrderNo));
        var oneBlack = Ok(await shopper.CreateOrderAsync(VariantOrder(campaign.Id, (black, 1)), NewKey()), HttpStatusCode.Created);
        Ok(await shopper.CreateOrderAsync(VariantOrder(campaign.Id, (white, 1)), NewKey()), HttpStatusCode.Created);
        Problem(await shopper.CreateOrderAsync(VariantOrder(campaign.Id, (black, 1)), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);

        // The customer's quota grain is deactivated (and seen gone): the next order reads the quota back from storage,
        // so the limit still holds; a paid order keeps its unit.
        await Cluster.PayAsync(oneBlack);
        await DeactivateQuotaAsync(campaign.Id, "two-sizes");
        Problem(await shopper.CreateOrderAsync(VariantOrder(campaign.Id, (black, 1)), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);
        Problem(await shopper.CreateOrderAsync(VariantOrder(campaign.Id, (white, 1)), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);

        // One order of both sizes counts both lines; another customer has a quota of their own.
        var other = Cluster.Orders(TestTokens.Customer("both-sizes"));
        var both = Ok(await other.CreateOrderAsync(VariantOrder(campaign.Id, (white, 1), (black, 1)), NewKey()), HttpStatusCode.Created);
        Assert.Equal(2 * 4_900L, both.Lines.Sum(l => l.SubtotalFen));
        Problem(await other.CreateOrderAsync(VariantOrder(campaign.Id, (white, 1)), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);
        Assert.Equal((2L, 2L), await ReservedAsync(campaign.Id, white, black));

        // One size from the campaign and the other at the catalog price, in one order.
        var mixed = VariantOrder(campaign.Id, (white, 1)) with { Items = [new OrderItemRequest(null, 1, white, campaign.Id), new OrderItemRequest(null, 1, black)] };
        var order = Ok(await Cluster.Orders(TestTokens.Customer("mixed")).CreateOrderAsync(mixed, NewKey()), HttpStatusCode.Created);
        Assert.Equal([(white, 4_900L), (black, 10_900L)], order.Lines.Select(l => (l.SkuId, l.UnitPriceFen)).OrderBy(l => l.SkuId == black));
        await AssertAuditCleanAsync();
    }

    [Fact]
    public async Task Two_hundred_parallel_orders_over_two_variant_skus_of_one_customer_get_exactly_the_limit_in_total()
    {
        var (campaign, white, black) = await TShirtCampaignAsync(limit: 2);
        var shopper = Cluster.Orders(TestTokens.Customer("greedy-sizes"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(k =>
            shopper.CreateOrderAsync(VariantOrder(campaign.Id, (k % 2 == 0 ? white : black, 1)), NewKey())));

        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).Select(a => a.Content!).ToList();
        Assert.Equal(2, created.SelectMany(o => o.Lines).Sum(l => l.Quantity));
        foreach (var no in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            Problem(no, HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);
        }

        var (w, b) = await ReservedAsync(campaign.Id, white, black);
        Assert.Equal(2L, w + b);
        await AssertAuditCleanAsync();
    }

    /// <summary>A fresh T-shirt (white and black, 10 of each) and a running campaign over both: 5 of each at 4,900 fen.</summary>
    private async Task<(CampaignResponse Campaign, string White, string Black)> TShirtCampaignAsync(int limit)
    {
        var admin = Cluster.Admin();
        var product = await admin.OnShelfAsync(TShirt(await admin.CategoryAsync()));
        var (white, black) = (product.Sku("白").SkuId, product.Sku("黑").SkuId);
        await Cluster.RestockAsync(white, 10);
        await Cluster.RestockAsync(black, 10);
        var campaign = await Cluster.CreateCampaignAsync(new CreateCampaignRequest("Sizes", [new CampaignSkuRequest(white, 4_900, 5),
            new CampaignSkuRequest(black, 4_900, 5)], Now.AddSeconds(-1), Now.AddHours(1), limit, 300));
        return (campaign, white, black);
    }

    /// <summary>Only this grain (collecting every activation would also stop the shared cluster's due-order sweep timer for a while).</summary>
    private async Task DeactivateQuotaAsync(string campaignId, string customer)
    {
        var quota = Cluster.Grains.GetGrain<ICampaignQuotaGrain>(CampaignQuota.Key(campaignId, customer));
        Assert.True(await quota.HeldAsync() > 0);
        await quota.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = Cluster.Grains.GetGrain<IManagementGrain>(0);
        await Poll.UntilAsync(() => management.GetDetailedGrainStatistics([typeof(CampaignQuotaGrain).FullName!]),
            stats => !stats.Any(s => s.GrainId == quota.GetGrainId()), TimeSpan.FromSeconds(10), "the quota grain deactivated");
    }

    private static CreateOrderRequest VariantOrder(string campaignId, params (string Sku, int Quantity)[] lines) => Request() with
    {
        Items = [.. lines.Select(l => new OrderItemRequest(null, l.Quantity, l.Sku, campaignId))],
    };

    private async Task<(long White, long Black)> ReservedAsync(string campaignId, string white, string black)
    {
        var campaign = await Cluster.CampaignAsync(campaignId);
        return (campaign.Skus.Single(s => s.SkuId == white).Reserved + campaign.Skus.Single(s => s.SkuId == white).Sold,
            campaign.Skus.Single(s => s.SkuId == black).Reserved + campaign.Skus.Single(s => s.SkuId == black).Sold);
    }
}
