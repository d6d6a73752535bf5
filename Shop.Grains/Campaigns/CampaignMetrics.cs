using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Inventory;
using Shop.Hosting;

namespace Shop.Grains.Campaigns;

/// <summary>
/// Campaign metrics of the silo. Per campaign not yet ended (label <c>campaign</c>: one series per scheduled or running
/// campaign, gone once it ended): units sold, reserved, allotment remaining and customers served, published by the
/// campaign's own grain every <see cref="CampaignOptions.MetricsInterval"/> from its SKUs' ledgers, so they hold
/// whether or not those SKU grains are active. Plus refused campaign or hoarding reservations by reason.
/// </summary>
public sealed class CampaignMetrics
{
    private static readonly ConcurrentDictionary<ReserveStatus, long> s_refused = new();

    // Per silo, not static: several silos of a test host share one process, and each reports only the campaigns whose
    // grain it hosts, as separate processes would.
    private readonly ConcurrentDictionary<string, Figures> _campaigns = new(StringComparer.Ordinal);

    public CampaignMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        meter.CreateObservableGauge("shop.campaign.units.sold", () => Observe(f => f.Sold), "{unit}",
            "Units sold at the campaign's prices, per campaign not yet ended (summed over its SKUs).");
        meter.CreateObservableGauge("shop.campaign.units.reserved", () => Observe(f => f.Reserved), "{unit}",
            "Units of the campaign's allotment held by unpaid orders, per campaign not yet ended.");
        meter.CreateObservableGauge("shop.campaign.allotment.remaining", () => Observe(f => f.Remaining), "{unit}",
            "Units of the campaign's allotment neither reserved nor sold, per campaign not yet ended.");
        meter.CreateObservableGauge("shop.campaign.customers.served", () => Observe(f => f.CustomersServed), "{customer}",
            "Customers who bought at the campaign's prices, per campaign not yet ended (once per SKU bought, as the admin view).");
        meter.CreateObservableCounter("shop.campaign.reservations.refused",
            () => s_refused.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("reason", Reason(p.Key)))),
            "{reservation}", "Reservations refused by a campaign rule or the hoarding limit, by reason.");
    }

    /// <summary>Metric names as Prometheus renders them.</summary>
    public static class Names
    {
        public const string UnitsSold = "shop_campaign_units_sold";
        public const string UnitsReserved = "shop_campaign_units_reserved";
        public const string AllotmentRemaining = "shop_campaign_allotment_remaining";
        public const string CustomersServed = "shop_campaign_customers_served";
        public const string Refused = "shop_campaign_reservations_refused_total";
        public const string CampaignLabel = "campaign";
    }

    public static void Refused(ReserveStatus status) => s_refused.AddOrUpdate(status, 1, (_, n) => n + 1);

    /// <summary>An order refused because its customer already holds the most unpaid orders allowed.</summary>
    public static void RefusedUnpaidOrder() => s_refused.AddOrUpdate(UnpaidOrders, 1, (_, n) => n + 1);

    // Not an inventory status: the unpaid-order limit is the customer grain's, kept in the same counter under its own reason.
    private const ReserveStatus UnpaidOrders = (ReserveStatus)(-1);

    /// <summary>The campaign's figures summed over its SKUs, as published by its grain's activation <paramref name="owner"/>.</summary>
    public void Publish(string campaignId, object owner, IEnumerable<CampaignStock?> skus)
    {
        ArgumentNullException.ThrowIfNull(skus);
        long sold = 0, reserved = 0, remaining = 0, served = 0;
        foreach (var stock in skus.OfType<CampaignStock>())
        {
            sold += stock.Sold;
            reserved += stock.Reserved;
            remaining += stock.Remaining;
            served += stock.CustomersServed;
        }

        _campaigns[campaignId] = new Figures(sold, reserved, remaining, served, owner);
    }

    /// <summary>
    /// The campaign ended, or its grain's activation left this silo. Only that activation's figures are removed: a
    /// newer activation (after a move) may already have published its own.
    /// </summary>
    public void Forget(string campaignId, object owner)
    {
        if (_campaigns.TryGetValue(campaignId, out var figures) && ReferenceEquals(figures.Owner, owner))
        {
            _campaigns.TryRemove(new KeyValuePair<string, Figures>(campaignId, figures));
        }
    }

    private IEnumerable<Measurement<long>> Observe(Func<Figures, long> figure) => _campaigns.Select(p =>
        new Measurement<long>(figure(p.Value), new KeyValuePair<string, object?>(Names.CampaignLabel, p.Key)));

    private static string Reason(ReserveStatus status) => status switch
    {
        ReserveStatus.CampaignNotStarted => "not_started",
        ReserveStatus.CampaignEnded => "ended",
        ReserveStatus.CampaignSoldOut => "sold_out",
        ReserveStatus.CampaignLimitReached => "limit_reached",
        ReserveStatus.UnpaidUnitsLimit => "unpaid_units_limit",
        UnpaidOrders => "unpaid_orders_limit",
        _ => "unknown_campaign",
    };

    private sealed record Figures(long Sold, long Reserved, long Remaining, long CustomersServed, object Owner);
}
