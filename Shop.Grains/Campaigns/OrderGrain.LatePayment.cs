using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Orders;

/// <summary>
/// A payment that arrives after the order's reservation lapsed (the inventory expired it: the order's own timeout ran
/// late, e.g. across an outage). The customer paid inside the time the shop gave them, so the unit is sold if it can be:
/// a campaign line goes back to its campaign first, so the campaign's sold count and the customer's quota include it;
/// if the campaign ended or its allotment is gone, it is sold from general stock at the price paid; if the customer has
/// meanwhile used the quota the lapse gave back, the campaign's per-customer limit wins and the line is a shortfall
/// (as one whose stock is gone), which an operator refunds.
/// </summary>
public sealed partial class OrderGrain
{
    /// <summary>The hold sold again (null: a shortfall), and the event saying from where.</summary>
    private async Task<(StockHold? Sold, OrderStockResold Resold)> ResellLapsedHoldAsync(StockHold lapsed)
    {
        // Confirmed right after; the span only bounds a hold whose confirm never comes. Never zero, even with no grace.
        var until = clock.GetUtcNow() + (_options.ReservationGrace > TimeSpan.FromMinutes(1) ? _options.ReservationGrace : TimeSpan.FromMinutes(1));
        ReserveStatus? refusal = null;
        if (lapsed.CampaignId is not null)
        {
            if (!await RetakeQuotaAsync(lapsed, until))
            {
                return (null, Resold(lapsed, null, "shortfall", ReserveStatus.CampaignLimitReached));
            }

            var again = lapsed with { ReservationId = $"{OrderNo}-paid" };
            var reserved = (await Inventory(again.ProductId).ReserveManyAsync([ReservationOf(again, until)]))[0];
            if (await SoldAsync(again, reserved))
            {
                return (again, Resold(lapsed, again, "campaign", null));
            }

            refusal = reserved?.Status;
            if (refusal == ReserveStatus.CampaignLimitReached)
            {
                return (null, Resold(lapsed, null, "shortfall", refusal));
            }
        }

        // Today's rule for a plain line, and the fallback of a campaign line: general stock, under the same id (a refused
        // reservation leaves nothing behind, and the stock audit knows a lapsed order's units by this one suffix).
        var general = lapsed with { ReservationId = $"{OrderNo}-paid", CampaignId = null };
        var plain = await Inventory(general.ProductId).ReserveAsync(general.ReservationId, general.Quantity, until);
        return await SoldAsync(general, plain)
            ? (general, Resold(lapsed, general, "general", refusal))
            : (null, Resold(lapsed, null, "shortfall", refusal ?? plain.Status));
    }

    private async Task<bool> SoldAsync(StockHold hold, ReserveResult? reserved) =>
        reserved?.Status is ReserveStatus.Reserved or ReserveStatus.AlreadyReserved or ReserveStatus.AlreadyConfirmed
        && (await Inventory(hold.ProductId).ConfirmAsync(hold.ReservationId)).Status == ConfirmStatus.Confirmed;

    private OrderStockResold Resold(StockHold lapsed, StockHold? sold, string source, ReserveStatus? refusal)
    {
        var (id, at) = Stamp();
        return new OrderStockResold(id, OrderNo, at, lapsed.ProductId, lapsed.Quantity, lapsed.CampaignId, source,
            sold?.ReservationId, refusal?.ToString());
    }
}

/// <summary>
/// A line whose reservation lapsed before its payment arrived, sold again: <c>Source</c> is <c>campaign</c> (from the
/// campaign's allotment, counted in its sold units and the customer's quota), <c>general</c> (general stock, at the
/// price paid; <c>CampaignRefusal</c> says why not from the campaign) or <c>shortfall</c> (not sold: see OrderStockShortfall).
/// </summary>
public sealed record OrderStockResold(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string SkuId, int Quantity,
    string? CampaignId, string Source, string? ReservationId, string? CampaignRefusal) : OrderEvent(EventId, OrderNo, OccurredAt);
