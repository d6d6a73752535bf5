using System.Net;
using Shop.Client.Audit;
using Shop.Client.Campaigns;
using Shop.Client.Orders;
using Shop.Grains.Campaigns;
using Shop.Grains.Observability;
using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Campaigns.CampaignTestSupport;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Campaigns;

/// <summary>Campaign orders through HTTP → grains → PostgreSQL: window, price, allotment, per-customer limit, end.</summary>
public sealed partial class CampaignOrderTests(CampaignFixture fixture) : IClassFixture<CampaignFixture>
{
    private ShopTestCluster Cluster => fixture.Cluster;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    [Fact]
    public async Task A_create_repeated_under_its_idempotency_key_makes_one_campaign_and_takes_the_allotment_once()
    {
        var p = await Cluster.ProductAsync(20);
        var request = Campaign(p.Id, Now.AddHours(1), Now.AddHours(2), allotment: 4);
        var key = NewKey();
        var first = Ok(await Cluster.Campaigns().CreateAsync(request, key), HttpStatusCode.Created);
        var again = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Cluster.Campaigns().CreateAsync(request, key)));

        Assert.All(again, a => Assert.Equal((HttpStatusCode.Created, first.Id), (a.StatusCode, a.Content!.Id)));
        var stock = await Cluster.Stock().GetStockAsync(p.Id);
        Assert.Equal((16L, 4L), (stock.Available, stock.Allotted));
        Assert.Single((await Cluster.Campaigns().ListAsync()).Content!.Items, c => c.Skus.Any(s => s.SkuId == p.Id));
        Problem(await Cluster.Campaigns().CreateAsync(request with { PerCustomerLimit = 3 }, key), HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
        Problem(await Cluster.Campaigns().CreateAsync(request, "not a key"), HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal(4L, (await Cluster.Stock().GetStockAsync(p.Id)).Allotted);
    }

    [Fact]
    public async Task The_campaign_price_holds_only_inside_the_window_and_the_unsold_allotment_comes_back_at_the_end()
    {
        var p = await Cluster.ProductAsync(100, price: 1_999);
        // Orders of this campaign stay unpaid for up to 3 hours, so the one made inside the window outlives the jump past its end.
        var campaign = await Cluster.CreateCampaignAsync(Campaign(p.Id, Now.AddHours(1), Now.AddHours(2), price: 999, allotment: 10, unpaidTimeoutSeconds: 3 * 3600));
        Assert.Equal(("Scheduled", 10L, 0L), (campaign.Status, campaign.Remaining, campaign.Sold));
        var stock = await Cluster.Stock().GetStockAsync(p.Id);
        Assert.Equal((100L, 90L, 10L, 0L), (stock.Total, stock.Available, stock.Allotted, stock.Reserved));

        var shopper = Cluster.Orders(TestTokens.Customer("window"));
        var early = await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey());
        Problem(early, HttpStatusCode.Conflict, CampaignErrorCodes.CampaignNotStarted);
        Assert.Equal(campaign.StartsAt, Extension(early, "startsAt").GetDateTimeOffset());

        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var order = Ok(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Created);
        Assert.Equal((999L, campaign.Id, 999L), (order.Lines[0].UnitPriceFen, order.Lines[0].CampaignId, order.TotalFen));
        Assert.Equal(TimeSpan.FromHours(3), order.ExpiresAt - order.CreatedAt);
        var normal = Ok(await shopper.CreateOrderAsync(Request((p.Id, 1)), NewKey()), HttpStatusCode.Created);
        Assert.Equal(1_999L, normal.TotalFen);
        Assert.Equal(TimeSpan.FromMinutes(15), normal.ExpiresAt - normal.CreatedAt);

        var running = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal(("Running", 1L, 9L), (running.Status, running.Reserved, running.Remaining));
        stock = await Cluster.Stock().GetStockAsync(p.Id);
        Assert.Equal((89L, 9L, 2L), (stock.Available, stock.Allotted, stock.Reserved));

        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Problem(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignEnded);

        // The 9 unsold come back (and the normal order's unit: its 15 minutes passed); the campaign order, still within
        // its 3 hours, follows its order: paid, it is sold at the campaign price.
        var ended = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal(("Ended", 1L, 0L, 1L), (ended.Status, ended.Reserved, ended.Remaining, ended.Skus[0].Allotment));
        stock = await Cluster.Stock().GetStockAsync(p.Id);
        Assert.Equal((99L, 0L, 1L), (stock.Available, stock.Allotted, stock.Reserved));
        Assert.Equal("Paid", Assert.IsType<Shop.Grains.Interfaces.Orders.OrderView>((await Cluster.PayAsync(order)).Order).Status.ToString());
        var sold = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal((1L, 0L, 1), (sold.Sold, sold.Reserved, sold.CustomersServed));
        stock = await Cluster.Stock().GetStockAsync(p.Id);
        Assert.Equal((100L, 99L, 0L, 0L, 1L), (stock.Total, stock.Available, stock.Allotted, stock.Reserved, stock.Sold));
        await AssertAuditCleanAsync();
    }

    [Fact]
    public async Task Two_hundred_parallel_orders_of_one_customer_get_exactly_the_limit_and_a_cancel_gives_the_quota_back()
    {
        var p = await Cluster.ProductAsync(500);
        var campaign = await Cluster.CreateCampaignAsync(Campaign(p.Id, Now.AddSeconds(-1), Now.AddHours(1), allotment: 100, limit: 2));
        var shopper = Cluster.Orders(TestTokens.Customer("greedy"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey())));
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).Select(a => a.Content!).ToList();
        Assert.Equal(2, created.Count);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            Problem(refused, HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);
        }

        var state = await Cluster.CampaignAsync(campaign.Id);
        Assert.Equal((2L, 98L), (state.Reserved, state.Remaining));

        Ok(await shopper.CancelOrderAsync(created[0].OrderNo));
        Ok(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Created);
        Problem(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);

        // Paid units count too: the limit is per customer per campaign, not per unpaid order.
        await Cluster.PayAsync(created[1]);
        Problem(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);
        Ok(await Cluster.Orders(TestTokens.Customer("other")).CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 2), NewKey()), HttpStatusCode.Created);
        await AssertAuditCleanAsync();
    }

    [Fact]
    public async Task A_sold_out_allotment_refuses_campaign_orders_but_not_the_general_stock()
    {
        var p = await Cluster.ProductAsync(10);
        var before = await PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress);
        var campaign = await Cluster.CreateCampaignAsync(Campaign(p.Id, Now.AddSeconds(-1), Now.AddHours(1), allotment: 3, limit: 5));
        Ok(await Cluster.Orders(TestTokens.Customer("a")).CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 2), NewKey()), HttpStatusCode.Created);
        var b = Cluster.Orders(TestTokens.Customer("b"));
        Problem(await b.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 2), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignSoldOut);
        Ok(await b.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 1), NewKey()), HttpStatusCode.Created);
        Problem(await b.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 1), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignSoldOut);

        var general = Ok(await b.CreateOrderAsync(Request((p.Id, 7)), NewKey()), HttpStatusCode.Created);
        Assert.Equal(7 * p.Price, general.TotalFen);
        Problem(await b.CreateOrderAsync(Request((p.Id, 1)), NewKey()), HttpStatusCode.Conflict, "OUT_OF_STOCK");

        // Refusals are counted by reason (counters of this process: other tests only add to them).
        // Polled: the exporter serves a scrape from its cache for a moment (the orders above can take less than that).
        var after = await Poll.UntilAsync(() => PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress),
            a => a.Sum(CampaignMetrics.Names.Refused, ("reason", "sold_out")) - before.Sum(CampaignMetrics.Names.Refused, ("reason", "sold_out")) >= 2
                && a.Sum(ShopGrainMetrics.Names.OrdersRejected, ("reason", "campaign")) - before.Sum(ShopGrainMetrics.Names.OrdersRejected, ("reason", "campaign")) >= 2,
            TimeSpan.FromSeconds(10), "the sold-out refusals on the silo's /metrics");
        Assert.True(after.Has(CampaignMetrics.Names.Refused));
    }

    [Fact]
    public async Task Ending_early_returns_the_unsold_allotment_and_a_released_order_then_goes_back_to_general_stock()
    {
        var p = await Cluster.ProductAsync(20);
        var campaign = await Cluster.CreateCampaignAsync(Campaign(p.Id, Now.AddSeconds(-1), Now.AddHours(1), allotment: 10, limit: 3));
        var shopper = Cluster.Orders(TestTokens.Customer("early-end"));
        var order = Ok(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id, 3), NewKey()), HttpStatusCode.Created);

        var ended = Ok(await Cluster.Campaigns().EndAsync(campaign.Id));
        Assert.Equal(("Ended", 3L, 0L), (ended.Status, ended.Reserved, ended.Remaining));
        Assert.NotNull(ended.EndedAt);
        Assert.Equal(17L, (await Cluster.Stock().GetStockAsync(p.Id)).Available);
        Problem(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignEnded);

        Ok(await shopper.CancelOrderAsync(order.OrderNo));
        var stock = await Cluster.Stock().GetStockAsync(p.Id);
        Assert.Equal((20L, 0L, 0L), (stock.Available, stock.Allotted, stock.Reserved));
        var listed = Ok(await Cluster.Campaigns().ListAsync());
        Assert.Contains(listed.Items, c => c.Id == campaign.Id && c.Status == "Ended" && c.Skus[0].Allotment == 0);
        await AssertAuditCleanAsync();
    }

    [Fact]
    public async Task A_timed_out_campaign_order_gives_the_quota_back()
    {
        var p = await Cluster.ProductAsync(10);
        var campaign = await Cluster.CreateCampaignAsync(Campaign(p.Id, Now.AddSeconds(-1), Now.AddHours(1), allotment: 5, limit: 1, unpaidTimeoutSeconds: 2));
        var shopper = Cluster.Orders(TestTokens.Customer("slow-payer"));
        var order = Ok(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Created);
        Problem(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);

        await Poll.UntilAsync(async () => Ok(await shopper.GetOrderAsync(order.OrderNo)), o => o.Status == "Cancelled", TimeSpan.FromSeconds(30), "campaign timeout");
        await Poll.UntilAsync(() => Cluster.CampaignAsync(campaign.Id), c => c.Reserved == 0 && c.Remaining == 5, what: "allotment back");
        Ok(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Campaign_requests_are_checked_field_by_field()
    {
        var p = await Cluster.ProductAsync(5);
        var admin = Cluster.Campaigns();
        var bad = await admin.CreateAsync(new CreateCampaignRequest("", [new CampaignSkuRequest(p.Id, 0, 0)], Now.AddHours(2), Now.AddHours(1), 0, 0));
        var problem = Problem(bad, HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equivalent(new[] { "name", "skus[0].priceFen", "skus[0].allotment", "endsAt", "perCustomerLimit", "unpaidTimeoutSeconds" },
            problem.Errors.Keys, strict: true);

        var tooMany = await admin.CreateAsync(Campaign(p.Id, Now, Now.AddHours(1), allotment: 6));
        Assert.Contains("skus[0].allotment", Problem(tooMany, HttpStatusCode.BadRequest, "VALIDATION_FAILED").Errors.Keys);
        Assert.Equal((5L, 0L), ((await Cluster.Stock().GetStockAsync(p.Id)).Available, (await Cluster.Stock().GetStockAsync(p.Id)).Allotted));

        Problem(await admin.GetAsync("cpAAAAAAAAAAAAAAAAAAAAAA"), HttpStatusCode.NotFound, CampaignErrorCodes.CampaignNotFound);
        var shopper = Cluster.Orders(TestTokens.Customer("typo"));
        Problem(await shopper.CreateOrderAsync(CampaignOrder(p.Id, "cpAAAAAAAAAAAAAAAAAAAAAA"), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignNotFound);
        var mixed = Request((p.Id, 1)) with { Items = [new OrderItemRequest(p.Id, 1), new OrderItemRequest(p.Id, 1, CampaignId: "cpAAAAAAAAAAAAAAAAAAAAAA")] };
        Assert.Contains("items[1].campaignId", Problem(await shopper.CreateOrderAsync(mixed, NewKey()), HttpStatusCode.BadRequest, "VALIDATION_FAILED").Errors.Keys);
    }

    private async Task AssertAuditCleanAsync()
    {
        var audit = await Poll.UntilAsync(() => StockAuditApiClient.Create(Cluster.CreateClient(TestTokens.Admin())).AuditStockAsync(),
            a => a.Discrepancies.Count == 0 && a.InFlightReservations == 0, what: "clean audit");
        Assert.Empty(audit.Discrepancies);
    }
}
