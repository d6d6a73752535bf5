using System.Collections.Immutable;

namespace Shop.Grains.Interfaces.Shipping;

/// <summary>What the fee needs of one line: its SKU, template (null: the default), weight per unit, quantity and subtotal.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightLine")]
public sealed record FreightLine(
    [property: Id(0)] string SkuId,
    [property: Id(1)] string? TemplateId,
    [property: Id(2)] int Grams,
    [property: Id(3)] int Quantity,
    [property: Id(4)] long SubtotalFen);

/// <summary>The fee of one template's lines (combined as the template says).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.TemplateFee")]
public sealed record TemplateFee(
    [property: Id(0)] string TemplateId,
    [property: Id(1)] string TemplateName,
    [property: Id(2)] FreightChargeBy ChargeBy,
    [property: Id(3)] long Units,
    [property: Id(4)] long FeeFen,
    [property: Id(5)] bool FreeShipping);

/// <summary>A line that cannot be shipped to the address: its SKU, the template refusing it and the region.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.NotDeliveredLine")]
public sealed record NotDeliveredLine(
    [property: Id(0)] string SkuId,
    [property: Id(1)] string TemplateId,
    [property: Id(2)] string RegionCode);

/// <summary>Goods, the fee per template, and the total; or the lines that cannot go to the address.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.ShippingQuote")]
public sealed record ShippingQuote(
    [property: Id(0)] long GoodsFen,
    [property: Id(1)] ImmutableList<TemplateFee> Fees,
    [property: Id(2)] ImmutableList<NotDeliveredLine> NotDelivered)
{
    public long ShippingFeeFen => Fees.Sum(f => f.FeeFen);

    public long TotalFen => GoodsFen + ShippingFeeFen;

    public bool Delivers => NotDelivered.IsEmpty;
}

/// <summary>The fee rules: per template, its lines' units summed, one first unit then additional steps.</summary>
public static class FreightCalculator
{
    /// <param name="templates">The templates by id (the default must be among them).</param>
    public static ShippingQuote Quote(IReadOnlyList<FreightLine> lines, string districtCode, IReadOnlyDictionary<string, FreightTemplate> templates)
    {
        var goods = lines.Sum(l => l.SubtotalFen);
        var fees = ImmutableList.CreateBuilder<TemplateFee>();
        var refused = ImmutableList.CreateBuilder<NotDeliveredLine>();
        foreach (var group in lines.GroupBy(l => TemplateOf(l, templates).Id, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var template = templates[group.Key];
            if (template.Refuses(districtCode))
            {
                refused.AddRange(group.Select(l => new NotDeliveredLine(l.SkuId, template.Id, districtCode)));
                continue;
            }

            var units = template.ChargeBy == FreightChargeBy.Piece ? group.Sum(l => (long)l.Quantity) : group.Sum(l => (long)l.Grams * l.Quantity);
            var free = template.FreeShippingThresholdFen is { } threshold && goods >= threshold;
            fees.Add(new TemplateFee(template.Id, template.Name, template.ChargeBy, units, free ? 0 : template.RuleFor(districtCode).FeeFor(units), free));
        }

        return new ShippingQuote(goods, fees.ToImmutable(), refused.ToImmutable());
    }

    /// <summary>
    /// The line's template; a product naming a template that was deleted since is charged by the default template (the
    /// README tells admins to move products to another template before deleting theirs).
    /// </summary>
    private static FreightTemplate TemplateOf(FreightLine line, IReadOnlyDictionary<string, FreightTemplate> templates) =>
        line.TemplateId is { } id && templates.TryGetValue(id, out var template) ? template : templates[FreightTemplate.DefaultId];
}
