using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Campaign lines and the hoarding limit on the create path. The campaign's terms (price, window, unpaid timeout) and
/// the customer's admission are asked in parallel with the product reads (grain calls in memory, no statement); the
/// allotment and the per-customer limit are decided by the SKU's inventory grain inside the reservation itself.
/// </summary>
public sealed partial class OrderGrain
{
    /// <summary>The terms of every campaign the items name (null where there is no such campaign).</summary>
    private async Task<Dictionary<string, CampaignTerms?>> CampaignTermsAsync(IReadOnlyList<OrderItem> items)
    {
        var ids = items.Select(i => i.CampaignId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var terms = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ICampaignGrain>(id).GetTermsAsync()));
        return ids.Zip(terms).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
    }

    /// <summary>Why a campaign line cannot be had now (refused before anything is reserved), or null.</summary>
    private static OrderOutcome? RefuseCampaignLines(IReadOnlyList<OrderItem> items, Dictionary<string, CampaignTerms?> campaigns, DateTimeOffset now)
    {
        foreach (var item in items)
        {
            if (item.CampaignId is not { } id)
            {
                continue;
            }

            if (campaigns.GetValueOrDefault(id) is not { } terms || !terms.PriceFen.ContainsKey(item.ProductId))
            {
                return new OrderOutcome(OrderOutcomeStatus.CampaignUnknown, CampaignId: id,
                    Detail: $"Campaign {id} does not sell {item.ProductId}.");
            }

            if (now < terms.StartsAt)
            {
                return new OrderOutcome(OrderOutcomeStatus.CampaignNotStarted, CampaignId: id, StartsAt: terms.StartsAt,
                    Detail: $"Campaign {id} starts at {terms.StartsAt:O}.");
            }

            if (terms.Ended || now >= terms.EndsAt)
            {
                return new OrderOutcome(OrderOutcomeStatus.CampaignEnded, CampaignId: id, Detail: $"Campaign {id} has ended.");
            }
        }

        return null;
    }

    /// <summary>The campaign's price for a campaign line, never the request's; the catalog's otherwise.</summary>
    private static long PriceOf(OrderItem item, long catalogPrice, Dictionary<string, CampaignTerms?> campaigns) =>
        item.CampaignId is { } id && campaigns.GetValueOrDefault(id) is { } terms ? terms.PriceFen[item.ProductId] : catalogPrice;

    /// <summary>The shortest unpaid timeout of the campaigns the order buys from (a flash sale's few minutes), else the default.</summary>
    private TimeSpan PaymentTimeoutOf(Dictionary<string, CampaignTerms?> campaigns) =>
        campaigns.Values.OfType<CampaignTerms>().Select(t => t.UnpaidTimeout).DefaultIfEmpty(_options.PaymentTimeout).Min();

    private IUnpaidOrdersGrain UnpaidOrders(string userId) => GrainFactory.GetGrain<IUnpaidOrdersGrain>(userId);

    private Task<bool> AdmitUnpaidAsync(string userId, DateTimeOffset until) => UnpaidOrders(userId).AdmitAsync(OrderNo, until);

    /// <summary>One-way: the order no longer counts against its customer's unpaid orders (a lost message lapses by itself).</summary>
    private void ReleaseUnpaid(string userId) => _ = UnpaidOrders(userId).ReleaseAsync(OrderNo);

    private static OrderOutcome UnpaidOrderLimit() => new(OrderOutcomeStatus.UnpaidOrderLimit,
        Detail: "You already hold the most unpaid orders allowed: pay or cancel one first.");

    /// <summary>After a stored change: an order that stopped waiting for payment frees its customer's slot.</summary>
    private void AfterCommit(OrderState previous, OrderState next)
    {
        if (previous is { Phase: OrderPhase.Active, Progress.Status: OrderStatus.PendingPayment }
            && next.Progress.Status != OrderStatus.PendingPayment)
        {
            ReleaseUnpaid(next.UserId);
        }
    }

    private ReserveRequest ReservationOf(StockHold hold, DateTimeOffset until) =>
        new(hold.ReservationId, hold.Quantity, until, Order.UserId, hold.CampaignId);

    /// <summary>The answer to refused reservations: the first campaign or hoarding rule broken, else out of stock.</summary>
    private static OrderOutcome RefusedOutcome(IReadOnlyList<StockHold> holds, ReserveResult[] results, List<OrderProductProblem> shortages)
    {
        for (var k = 0; k < results.Length; k++)
        {
            var status = results[k].Status switch
            {
                ReserveStatus.CampaignUnknown => OrderOutcomeStatus.CampaignUnknown,
                ReserveStatus.CampaignNotStarted => OrderOutcomeStatus.CampaignNotStarted,
                ReserveStatus.CampaignEnded => OrderOutcomeStatus.CampaignEnded,
                ReserveStatus.CampaignSoldOut => OrderOutcomeStatus.CampaignSoldOut,
                ReserveStatus.CampaignLimitReached => OrderOutcomeStatus.CampaignLimitReached,
                ReserveStatus.UnpaidUnitsLimit => OrderOutcomeStatus.UnpaidUnitsLimit,
                _ => (OrderOutcomeStatus?)null,
            };
            if (status is { } refused)
            {
                var hold = holds[k];
                var detail = refused switch
                {
                    OrderOutcomeStatus.CampaignSoldOut => $"Campaign {hold.CampaignId} has sold its allotment of {hold.ProductId} ({results[k].Available} left).",
                    OrderOutcomeStatus.CampaignLimitReached => $"Campaign {hold.CampaignId} sells at most its per-customer limit of {hold.ProductId} to each customer.",
                    OrderOutcomeStatus.UnpaidUnitsLimit => $"You already hold the most units of {hold.ProductId} allowed in unpaid orders.",
                    OrderOutcomeStatus.CampaignNotStarted => $"Campaign {hold.CampaignId} has not started.",
                    OrderOutcomeStatus.CampaignEnded => $"Campaign {hold.CampaignId} has ended.",
                    _ => $"Campaign {hold.CampaignId} does not sell {hold.ProductId}.",
                };
                return new OrderOutcome(refused, Products: shortages, Detail: detail, CampaignId: hold.CampaignId);
            }
        }

        return new OrderOutcome(OrderOutcomeStatus.OutOfStock, Products: shortages,
            Detail: $"Out of stock: {string.Join(", ", shortages.Select(s => $"{s.ProductId} ({s.Available} available)"))}.");
    }
}
