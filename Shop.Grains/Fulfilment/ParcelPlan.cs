using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Fulfilment;

/// <summary>Turns a ship command into the order's parcels, or says why it does not fit the order.</summary>
public static class ParcelPlan
{
    public static (IReadOnlyList<Parcel>? Parcels, string? Problem) For(ShipCommand command, IReadOnlyList<OrderLine> lines)
    {
        var all = lines.Select(l => new ParcelLine(l.Sku, l.Quantity)).ToList();
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

        if (command.Parcels.Count is 0 or > OrderFulfilment.MaxParcels)
        {
            return (null, $"Express shipping needs 1 to {OrderFulfilment.MaxParcels} parcels.");
        }

        if (command.Parcels.Count == 1 && command.Parcels[0].Lines.Count == 0)
        {
            var only = command.Parcels[0];
            return ([new Parcel(1, only.Courier, only.TrackingNo, all)], null);
        }

        var parcels = command.Parcels.Select((p, k) => new Parcel(k + 1, p.Courier, p.TrackingNo, p.Lines)).ToList();
        if (parcels.Any(p => p.Lines.Count == 0))
        {
            return (null, "With several parcels, every parcel names its lines.");
        }

        var shipped = parcels.SelectMany(p => p.Lines).GroupBy(l => l.SkuId).ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));
        var ordered = lines.GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));
        if (shipped.Keys.FirstOrDefault(id => !ordered.ContainsKey(id)) is { } stranger)
        {
            return (null, $"SKU {stranger} is not in the order.");
        }

        if (ordered.FirstOrDefault(o => shipped.GetValueOrDefault(o.Key) != o.Value) is { Key: not null } off)
        {
            return (null, $"The parcels hold {shipped.GetValueOrDefault(off.Key)} of SKU {off.Key}; the order has {off.Value}.");
        }

        return (parcels, null);
    }
}
