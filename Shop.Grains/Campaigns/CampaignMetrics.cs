using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Inventory;
using Shop.Hosting;

namespace Shop.Grains.Campaigns;

/// <summary>
/// Campaign metrics of the silo: units sold and allotment left (gauges over the campaigns of the SKUs active in this
/// silo, summed across silos by Prometheus) and refused campaign or hoarding reservations by reason. No campaign ids
/// as tags: cardinality stays bounded; the admin API has the figures per campaign.
/// </summary>
public sealed class CampaignMetrics
{
    private static readonly ConcurrentDictionary<string, (long Sold, long Remaining)> s_skus = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<ReserveStatus, long> s_refused = new();

    public CampaignMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        meter.CreateObservableGauge("shop.campaign.units.sold", () => s_skus.Values.Sum(v => v.Sold), "{unit}",
            "Units sold at campaign prices (campaigns of the SKUs active in this silo).");
        meter.CreateObservableGauge("shop.campaign.allotment.remaining", () => s_skus.Values.Sum(v => v.Remaining), "{unit}",
            "Units of running campaigns' allotments not yet reserved or sold (SKUs active in this silo).");
        meter.CreateObservableCounter("shop.campaign.reservations.refused",
            () => s_refused.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("reason", Reason(p.Key)))),
            "{reservation}", "Reservations refused by a campaign rule or the hoarding limit, by reason.");
    }

    /// <summary>Metric names as Prometheus renders them.</summary>
    public static class Names
    {
        public const string UnitsSold = "shop_campaign_units_sold";
        public const string AllotmentRemaining = "shop_campaign_allotment_remaining";
        public const string Refused = "shop_campaign_reservations_refused_total";
    }

    public static void Refused(ReserveStatus status) => s_refused.AddOrUpdate(status, 1, (_, n) => n + 1);

    /// <summary>An order refused because its customer already holds the most unpaid orders allowed.</summary>
    public static void RefusedUnpaidOrder() => s_refused.AddOrUpdate(UnpaidOrders, 1, (_, n) => n + 1);

    // Not an inventory status: the unpaid-order limit is the customer grain's, kept in the same counter under its own reason.
    private const ReserveStatus UnpaidOrders = (ReserveStatus)(-1);

    public static void Publish(string sku, IEnumerable<(string CampaignId, CampaignStock Stock)> campaigns)
    {
        long sold = 0, remaining = 0;
        foreach (var (_, stock) in campaigns)
        {
            sold += stock.Sold;
            remaining += stock.Remaining;
        }

        s_skus[sku] = (sold, remaining);
    }

    /// <summary>The SKU's grain left this silo: its figures are another silo's to report now.</summary>
    public static void Forget(string sku) => s_skus.TryRemove(sku, out _);

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
}
