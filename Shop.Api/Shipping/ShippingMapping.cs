using Shop.Client.Shipping;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Shipping;

namespace Shop.Api.Shipping;

internal static class ShippingMapping
{
    public static FreightTemplateDraft ToDraft(this FreightTemplateRequest? r) => r is null
        ? new FreightTemplateDraft(null, null, null, null, null, null)
        : new FreightTemplateDraft(r.Name, r.ChargeBy, r.DefaultRule?.ToDraft(), r.Rules?.Select(x => x?.ToDraft()!).ToList(), r.NotDelivered, r.FreeShippingThresholdFen);

    private static FreightRuleDraft ToDraft(this FreightRuleRequest r) => new(r.Regions, r.FirstUnits, r.FirstFen, r.AdditionalUnits, r.AdditionalFen);

    public static FreightTemplateResponse ToResponse(this FreightTemplate t) => new(
        t.Id, t.Name, t.ChargeBy.ToString(), t.DefaultRule.ToResponse(), [.. t.Rules.Select(ToResponse)], t.NotDelivered,
        t.FreeShippingThresholdFen, t.Id == FreightTemplate.DefaultId, t.Version, t.UpdatedAt);

    private static FreightRuleResponse ToResponse(this FreightRule r) => new(r.Regions, r.FirstUnits, r.FirstFen, r.AdditionalUnits, r.AdditionalFen);

    public static AddressResponse ToResponse(this SavedAddress saved)
    {
        var a = saved.Address;
        return new AddressResponse(saved.Id, a.Name, a.Phone, a.Province, a.City, a.District, a.Detail, a.RegionCode, saved.IsDefault, saved.CreatedAt, saved.UpdatedAt);
    }

    public static ShippingQuoteResponse ToResponse(this ShippingQuote quote, string regionCode) => new(
        regionCode, quote.GoodsFen, quote.ShippingFeeFen, quote.TotalFen,
        [.. quote.Fees.Select(f => new TemplateFeeResponse(f.TemplateId, f.TemplateName, f.ChargeBy.ToString(), f.Units, f.FeeFen, f.FreeShipping))]);

    /// <summary>The problem code of a shipping refusal of order creation, or null.</summary>
    public static string? CodeOf(OrderOutcomeStatus status) =>
        status == OrderOutcomeStatus.ShippingNotDelivered ? ShippingErrorCodes.ShippingNotDelivered : null;

    /// <summary><c>lines</c>: each SKU that cannot go to the address, its product, template and region (code and names).</summary>
    public static void AddExtensions(OrderOutcome outcome, IDictionary<string, object?> extensions)
    {
        if (outcome.NotDelivered is { Count: > 0 } lines)
        {
            extensions["lines"] = NotDeliveredLines(lines);
        }
    }

    public static object[] NotDeliveredLines(IEnumerable<NotDeliveredLine> lines) =>
    [
        .. lines.Select(l => new
        {
            l.SkuId,
            ProductId = Grains.Interfaces.Catalog.SkuId.ProductOf(l.SkuId),
            l.TemplateId,
            l.RegionCode,
            RegionName = RegionTable.Embedded.ResolveDistrict(l.RegionCode) is { } r ? $"{r.Province.Name} {r.City.Name} {r.District.Name}" : null,
        }),
    ];
}
