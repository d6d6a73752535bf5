using Orleans.Concurrency;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Shipping;
using Shop.Grains.Orders;

namespace Shop.Grains.Shipping;

/// <summary>
/// Quotes lines to an address as order creation would price them: one product-grain call per line, the templates from
/// this silo's copy. Campaign lines are quoted at the catalog price (the campaign price is fixed when ordering).
/// </summary>
[StatelessWorker, Reentrant]
public sealed class ShippingQuoteGrain : Grain, IShippingQuoteGrain
{
    public async Task<QuoteOutcome> QuoteAsync(IReadOnlyList<OrderItem> items, string districtCode)
    {
        var grouped = items.GroupBy(i => i.ProductId, StringComparer.Ordinal)
            .Select(g => new OrderItem(g.Key, g.Sum(i => i.Quantity), g.First().CampaignId)).ToList();
        var skus = await OrderSkus.LookUpAsync(GrainFactory, grouped);
        var unavailable = grouped.Where((item, k) => skus[k] is not { OnSale: true }).Select(i => i.ProductId).ToList();
        if (unavailable.Count > 0)
        {
            return new QuoteOutcome(null, unavailable);
        }

        var lines = grouped.Select((item, k) => OrderSkus.Line(skus[k]!, item.Quantity)).ToList();
        var address = new ShippingAddress("", "", "", "", "", "", districtCode);
        return new QuoteOutcome(await OrderShipping.QuoteAsync(ServiceProvider, lines, skus, address), []);
    }
}
