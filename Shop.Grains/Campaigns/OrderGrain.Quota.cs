using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// The per-customer limit of a campaign of several SKUs, which no single SKU's ledger can see: the order takes the
/// customer's quota (<see cref="ICampaignQuotaGrain"/>) before it reserves, gives it back when a reservation is refused
/// or the order is cancelled or times out, and keeps it when paid. The SKU's own check stays (it can never be stricter).
/// A single-SKU campaign never comes here: <see cref="OrderState.QuotaCampaigns"/> stays null and nothing is called.
/// </summary>
public sealed partial class OrderGrain
{
    /// <summary>
    /// Takes the quota of every several-SKU campaign the items buy from (units per order number: a retry takes nothing
    /// more). On a refusal, what was taken is given back and the answer is the 409 of the limit.
    /// </summary>
    private async Task<(System.Collections.Immutable.ImmutableList<string>? Taken, OrderOutcome? Refused)> TakeQuotaAsync(
        string userId, IReadOnlyList<OrderItem> items, Dictionary<string, CampaignTerms?> campaigns, DateTimeOffset until)
    {
        if (campaigns.Count == 0)
        {
            return (null, null); // most orders: no campaign line, so no query over the items on the hot path
        }

        var wanted = items.Where(i => i.CampaignId is { } id && campaigns.GetValueOrDefault(id) is { QuotaAcrossSkus: true })
            .GroupBy(i => i.CampaignId!, StringComparer.Ordinal)
            .Select(g => (CampaignId: g.Key, Units: g.Sum(i => i.Quantity), Limit: campaigns[g.Key]!.PerCustomerLimit))
            .ToList();
        if (wanted.Count == 0)
        {
            return (null, null);
        }

        var results = await Task.WhenAll(wanted.Select(w => Quota(w.CampaignId, userId).TakeAsync(OrderNo, w.Units, until, w.Limit)));
        var refusedAt = Array.FindIndex(results, r => !r.Taken);
        if (refusedAt < 0)
        {
            return ([.. wanted.Select(w => w.CampaignId)], null);
        }

        await Task.WhenAll(wanted.Where((_, k) => results[k].Taken).Select(w => Quota(w.CampaignId, userId).ReturnAsync(OrderNo)));
        var (campaignId, units, limit) = wanted[refusedAt];
        var left = Math.Max(0, limit - results[refusedAt].Held);
        return (null, new OrderOutcome(OrderOutcomeStatus.CampaignLimitReached, CampaignId: campaignId,
            Products: [.. items.Where(i => i.CampaignId == campaignId).Select(i => new OrderProductProblem(i.ProductId, i.Quantity, left))],
            Detail: $"Campaign {campaignId} sells at most {limit} units to each customer across its SKUs; you can order {left} more."));
    }

    /// <summary>Refused, cancelled or timed out: the order's campaign quota comes back (idempotent; a kept one stays).</summary>
    private Task ReturnQuotaAsync() => Order.QuotaCampaigns is { Count: > 0 } campaigns
        ? Task.WhenAll(campaigns.Select(c => Quota(c, Order.UserId).ReturnAsync(OrderNo)))
        : Task.CompletedTask;

    /// <summary>Paid: each campaign keeps the units sold from its allotment (a line sold from general stock or short gives its units back).</summary>
    private Task KeepQuotaAsync(IReadOnlyList<StockHold> holds, IReadOnlyCollection<string> shortfall) => Order.QuotaCampaigns is { Count: > 0 } campaigns
        ? Task.WhenAll(campaigns.Select(c => Quota(c, Order.UserId).KeepAsync(OrderNo,
            holds.Where(h => h.CampaignId == c && !shortfall.Contains(h.ProductId)).Sum(h => h.Quantity))))
        : Task.CompletedTask;

    /// <summary>
    /// A late payment re-selling a lapsed campaign line: the quota is taken again first (its hold lapsed with the
    /// reservation). False when the customer has used it meanwhile: the line is then a shortfall, as the SKU's own
    /// limit would make it.
    /// </summary>
    private async Task<bool> RetakeQuotaAsync(StockHold lapsed, DateTimeOffset until)
    {
        if (lapsed.CampaignId is not { } campaignId || Order.QuotaCampaigns?.Contains(campaignId) != true)
        {
            return true;
        }

        // The limit as the campaign defines it (a rare path: one more call is nothing here). A campaign gone or ended is
        // refused by its SKU next, and the line falls back to general stock.
        if (await GrainFactory.GetGrain<ICampaignGrain>(campaignId).GetTermsAsync() is not { } terms)
        {
            return true;
        }

        var units = Order.Holds.Where(h => h.CampaignId == campaignId).Sum(h => h.Quantity);
        return (await Quota(campaignId, Order.UserId).TakeAsync(OrderNo, units, until, terms.PerCustomerLimit)).Taken;
    }

    private ICampaignQuotaGrain Quota(string campaignId, string userId) =>
        GrainFactory.GetGrain<ICampaignQuotaGrain>(CampaignQuota.Key(campaignId, userId));
}
