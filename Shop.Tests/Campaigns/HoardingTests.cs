using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Npgsql;
using Orleans.Configuration;
using Shop.Grains.Inventory;
using Shop.Client.Campaigns;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Campaigns.CampaignTestSupport;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Campaigns;

/// <summary>Reservation hoarding limits, and a campaign's allotment, quota and figures across a restart of every silo.</summary>
public sealed class HoardingTests
{
    [Fact]
    public async Task A_customer_holds_at_most_the_configured_unpaid_orders_and_units_of_one_sku_and_gets_them_back_when_paid_or_cancelled()
    {
        await using var cluster = await ShopTestCluster.StartAsync(configure: c =>
        {
            c.Settings["Hoarding:MaxUnpaidOrders"] = "3";
            c.Settings["Hoarding:MaxUnpaidUnitsPerSku"] = "5";
        });
        var p = await cluster.ProductAsync(100);
        var q = await cluster.ProductAsync(100);
        var shopper = cluster.Orders(TestTokens.Customer("hoarder"));

        var first = await shopper.CreateAsync(Request((p.Id, 4)));
        Problem(await shopper.CreateOrderAsync(Request((p.Id, 2)), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.UnpaidUnitsLimit);
        var second = await shopper.CreateAsync(Request((p.Id, 1)));
        await shopper.CreateAsync(Request((q.Id, 1)));
        Problem(await shopper.CreateOrderAsync(Request((q.Id, 1)), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.UnpaidOrderLimit);

        // Another customer is not affected.
        await cluster.Orders(TestTokens.Customer("neighbour")).CreateAsync(Request((p.Id, 5)));

        Ok(await shopper.CancelOrderAsync(second.OrderNo));
        await shopper.CreateAsync(Request((q.Id, 1)));
        Problem(await shopper.CreateOrderAsync(Request((q.Id, 1)), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.UnpaidOrderLimit);

        await cluster.PayAsync(first);
        await shopper.CreateAsync(Request((p.Id, 5)));
        var levels = await cluster.StockAsync(p.Id);
        Assert.Equal((100L - 4 - 5 - 5, 10L, 4L), (levels.Available, levels.Reserved, levels.Sold));
    }

    [Fact]
    public async Task A_campaign_keeps_its_allotment_quota_and_figures_across_a_restart_of_every_silo()
    {
        var clock = new OffsetClock();
        await using var cluster = await ShopTestCluster.StartAsync(configure: c =>
        {
            c.Settings["Campaigns:ReminderPeriod"] = "00:00:01";
            c.ConfigureSiloServices = s =>
            {
                s.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));

                // Snapshots after every few events: the restart loads the campaign from a snapshot and the batches after it.
                s.Configure<InventoryOptions>(o => o.SnapshotMinEvents = 1);
            };
            c.UseClock(clock);
        });
        var p = await cluster.ProductAsync(50);
        var now = clock.GetUtcNow();
        var campaign = await cluster.CreateCampaignAsync(Campaign(p.Id, now.AddSeconds(-1), now.AddHours(1), allotment: 10, limit: 2));
        var shopper = cluster.Orders(TestTokens.Customer("restart"));
        var paid = Ok(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Created);
        await cluster.PayAsync(paid);
        Ok(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Created);

        await Poll.UntilAsync(() => SnapshotAsync(cluster, p.Id), state => state?.Contains(campaign.Id, StringComparison.Ordinal) == true, what: "a snapshot with the campaign");
        await cluster.StopAsync();
        await cluster.StartSiloAsync();
        await cluster.StartApiAsync();

        shopper = cluster.Orders(TestTokens.Customer("restart"));
        await Poll.UntilAsync(async () => (await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey())).StatusCode,
            s => s == HttpStatusCode.Conflict, what: "cluster back");
        Problem(await shopper.CreateOrderAsync(CampaignOrder(p.Id, campaign.Id), NewKey()), HttpStatusCode.Conflict, CampaignErrorCodes.CampaignLimitReached);
        var state = await cluster.CampaignAsync(campaign.Id);
        Assert.Equal(("Running", 1L, 1L, 8L, 1), (state.Status, state.Sold, state.Reserved, state.Remaining, state.CustomersServed));

        // The end time passes while the campaign's grain and SKU are idle: the reminder returns the unsold units (the
        // unpaid order's five minutes passed too, so its unit is general stock again).
        clock.Advance(TimeSpan.FromHours(1));
        var levels = await Poll.UntilAsync(() => cluster.StockAsync(p.Id), l => l.Allotted == 0, TimeSpan.FromSeconds(150), "end reminder");
        Assert.Equal((50L - 1, 1L), (levels.Available + levels.Reserved, levels.Sold));
    }

    private static async Task<string?> SnapshotAsync(ShopTestCluster cluster, string sku)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT state::text FROM inventory_snapshot WHERE sku = @sku", connection);
        command.Parameters.AddWithValue("sku", sku);
        return await command.ExecuteScalarAsync() as string;
    }
}
