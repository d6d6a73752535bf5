using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Fulfilment;

/// <summary>Turns a ship command into the order's parcels, or says why it does not fit what is left to ship.</summary>
public static class ParcelPlan
{
    /// <param name="earlier">Parcels of earlier partial shipments: their units are not left to ship, and they count against WeChat's 15.</param>
    /// <param name="refunded">
    /// Units per SKU that approved refund-only requests took back before shipping: the customer was paid for them, so
    /// they are not sent (nor described to WeChat).
    /// </param>
    /// <param name="pending">
    /// Units per SKU under refund-only requests still waiting for the merchant: a part may not send them (approved,
    /// they would be restocked as never sent); the final shipment sends them, and a later approval refunds travelled goods.
    /// </param>
    public static (IReadOnlyList<Parcel>? Parcels, string? Problem) For(ShipCommand command, IReadOnlyList<OrderLine> lines,
        IReadOnlyList<Parcel>? earlier = null, IReadOnlyDictionary<string, long>? refunded = null, IReadOnlyDictionary<string, long>? pending = null)
    {
        pending ??= new Dictionary<string, long>();
        earlier ??= [];
        refunded ??= new Dictionary<string, long>();
        var sent = earlier.SelectMany(p => p.Lines).GroupBy(l => l.SkuId).ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));
        var left = lines.GroupBy(l => l.Sku).ToDictionary(g => g.Key,
            g => Math.Max(0, g.Sum(l => (long)l.Quantity) - sent.GetValueOrDefault(g.Key) - refunded.GetValueOrDefault(g.Key)));
        var all = left.Where(l => l.Value > 0).Select(l => new ParcelLine(l.Key, (int)l.Value)).ToList();
        string Left(string sku) => refunded.GetValueOrDefault(sku) is var back and > 0 ? $"{left[sku]} are left to ship ({back} refunded)" : $"{left[sku]} are left to ship";
        if ((command.Partial || earlier.Count > 0) && command.LogisticsType != LogisticsType.Express)
        {
            return (null, "Only express goods ship in parts (WeChat splits only express delivery).");
        }

        switch (command.LogisticsType)
        {
            case LogisticsType.Virtual or LogisticsType.Pickup:
                return command.Parcels.Count == 0 ? ([], null) : (null, $"{command.LogisticsType} goods travel in no parcel.");
            case LogisticsType.SameCity when command.Parcels.Count != 1:
                return (null, "Same-city delivery is one delivery order (WeChat splits only express).");
            case LogisticsType.Express or LogisticsType.SameCity:
                break;
            default:
                return (null, "Unknown logistics type.");
        }

        if (all.Count == 0 && !command.Partial && earlier.Count > 0 && command.Parcels.Count == 0)
        {
            // Parts went out and refunds took back everything else: the shipment is complete with no new parcel.
            return ([], null);
        }

        if (all.Count == 0)
        {
            return (null, "Nothing is left to ship: every unit was sent or refunded.");
        }

        if (command.Parcels.Count == 0 || earlier.Count + command.Parcels.Count > OrderFulfilment.MaxParcels)
        {
            return (null, $"Express shipping needs 1 to {OrderFulfilment.MaxParcels} parcels in all parts together ({earlier.Count} already sent).");
        }

        if (command.Parcels.Count == 1 && command.Parcels[0].Lines.Count == 0)
        {
            var only = command.Parcels[0];
            return command.Partial
                ? (null, "A partial shipment names the lines and quantities in its parcels.")
                : ([new Parcel(earlier.Count + 1, only.Courier, only.TrackingNo, all)], null);
        }

        var parcels = command.Parcels.Select((p, k) => new Parcel(earlier.Count + k + 1, p.Courier, p.TrackingNo, p.Lines)).ToList();
        if (parcels.Any(p => p.Lines.Count == 0))
        {
            return (null, "With several parcels, every parcel names its lines.");
        }

        var shipped = parcels.SelectMany(p => p.Lines).GroupBy(l => l.SkuId).ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));
        if (shipped.Keys.FirstOrDefault(id => !left.ContainsKey(id)) is { } stranger)
        {
            return (null, $"SKU {stranger} is not in the order.");
        }

        if (command.Partial)
        {
            if (shipped.FirstOrDefault(s => s.Value > left[s.Key]) is { Key: not null } over)
            {
                return (null, $"The parcels hold {over.Value} of SKU {over.Key}; {Left(over.Key)}.");
            }

            if (shipped.FirstOrDefault(s => s.Value > left[s.Key] - pending.GetValueOrDefault(s.Key)) is { Key: not null } claimed)
            {
                return (null, $"{pending[claimed.Key]} of SKU {claimed.Key} are under a refund-only request waiting for the merchant: decide it before sending them in a part.");
            }

            return shipped.Values.Sum() < left.Values.Sum()
                ? (parcels, null)
                : (null, "These parcels hold everything left to ship: send them without \"partial\".");
        }

        if (left.FirstOrDefault(o => shipped.GetValueOrDefault(o.Key) != o.Value) is { Key: not null } off)
        {
            return (null, $"The parcels hold {shipped.GetValueOrDefault(off.Key)} of SKU {off.Key}; {Left(off.Key)}.");
        }

        return (parcels, null);
    }
}
