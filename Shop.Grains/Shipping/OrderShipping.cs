using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Shipping;

namespace Shop.Grains.Shipping;

/// <summary>The shipping fee of an order being created (or quoted): its lines, their SKUs' templates and grams, and the address.</summary>
internal static class OrderShipping
{
    public static async Task<ShippingQuote> QuoteAsync(IServiceProvider services, IReadOnlyList<OrderLine> lines, IReadOnlyList<SkuDetails?> skus, ShippingAddress address)
    {
        var freight = lines.Select((line, k) => new FreightLine(line.Sku, skus[k]?.FreightTemplateId, skus[k]?.Grams ?? 0, line.Quantity, line.SubtotalFen)).ToList();
        var templates = await services.GetRequiredService<FreightTemplateCache>().GetAsync(freight.Select(f => f.TemplateId));
        return FreightCalculator.Quote(freight, DistrictOf(address), templates);
    }

    /// <summary>
    /// The address's district code. The API always resolves it; a command without one (a caller inside the cluster)
    /// is resolved by its names, and one that matches nothing is charged by each template's default rule.
    /// </summary>
    public static string DistrictOf(ShippingAddress address) =>
        address.RegionCode
        ?? RegionTable.Embedded.Resolve(address.Province, address.City, address.District, null, (_, _) => { })?.District.Code
        ?? "000000";

    /// <summary>409 SHIPPING_NOT_DELIVERED naming each line and the region (nothing was reserved).</summary>
    public static OrderOutcome NotDelivered(ShippingQuote quote) => new(
        OrderOutcomeStatus.ShippingNotDelivered,
        Detail: "Not delivered to " + Describe(quote.NotDelivered[0].RegionCode) + ": " + string.Join(", ", quote.NotDelivered.Select(l => l.SkuId)) + ".",
        NotDelivered: quote.NotDelivered);

    private static string Describe(string code) =>
        RegionTable.Embedded.ResolveDistrict(code) is { } region ? region.ToString() : code;
}
