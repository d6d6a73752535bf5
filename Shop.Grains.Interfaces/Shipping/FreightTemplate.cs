using System.Collections.Immutable;

namespace Shop.Grains.Interfaces.Shipping;

/// <summary>How a template counts the units of its lines: pieces, or grams (the SKU's weight times the quantity).</summary>
[GenerateSerializer, Alias("Shop.Shipping.FreightChargeBy")]
public enum FreightChargeBy
{
    Piece = 0,
    Weight = 1,
}

/// <summary>
/// The price of one region group: <see cref="FirstFen"/> covers the first <see cref="FirstUnits"/> (pieces or grams),
/// then every started step of <see cref="AdditionalUnits"/> costs <see cref="AdditionalFen"/>. <see cref="Regions"/>
/// are GB/T 2260 codes of provinces, cities or districts (empty for the default rule).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightRule")]
public sealed record FreightRule(
    [property: Id(0)] ImmutableList<string> Regions,
    [property: Id(1)] int FirstUnits,
    [property: Id(2)] long FirstFen,
    [property: Id(3)] int AdditionalUnits,
    [property: Id(4)] long AdditionalFen)
{
    /// <summary>The fee for <paramref name="units"/> (pieces or grams) under this rule.</summary>
    public long FeeFor(long units)
    {
        var beyond = units - FirstUnits;
        return beyond <= 0 || AdditionalUnits <= 0 ? FirstFen : FirstFen + (beyond + AdditionalUnits - 1) / AdditionalUnits * AdditionalFen;
    }
}

/// <summary>
/// A freight template (运费模板): how the lines of the products naming it are charged. Rules are matched to the
/// address's district, city or province (the most specific match wins, then the first); <see cref="DefaultRule"/>
/// covers the rest. <see cref="NotDelivered"/> regions are refused. When the order's goods amount reaches
/// <see cref="FreeShippingThresholdFen"/>, this template's lines ship free.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightTemplate")]
public sealed record FreightTemplate(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] FreightChargeBy ChargeBy,
    [property: Id(3)] FreightRule DefaultRule,
    [property: Id(4)] ImmutableList<FreightRule> Rules,
    [property: Id(5)] ImmutableList<string> NotDelivered,
    [property: Id(6)] long? FreeShippingThresholdFen,
    [property: Id(7)] long Version,
    [property: Id(8)] DateTimeOffset UpdatedAt)
{
    /// <summary>The id of the template every product without one uses: seeded free shipping to every region.</summary>
    public const string DefaultId = "ft_default";

    public const string IdPrefix = "ft";

    public static FreightTemplate Default(DateTimeOffset at) => new(DefaultId, "Free shipping", FreightChargeBy.Piece,
        new FreightRule([], 1, 0, 1, 0), [], [], null, Version: 0, at);

    public static bool IsValidId(string? id) => id == DefaultId || Ids.RandomId.IsValid(id, IdPrefix);

    /// <summary>True when <paramref name="districtCode"/> (or its city or province) is one this template does not deliver to.</summary>
    public bool Refuses(string districtCode) => NotDelivered.Any(code => RegionCodes.Covers(code, districtCode));

    /// <summary>The rule for a district: the most specific region group naming it, else the default rule.</summary>
    public FreightRule RuleFor(string districtCode) =>
        Rules.Select(rule => (rule, depth: rule.Regions.Where(code => RegionCodes.Covers(code, districtCode)).Select(RegionCodes.Depth).DefaultIfEmpty(-1).Max()))
            .Where(r => r.depth >= 0).OrderByDescending(r => r.depth).Select(r => r.rule).FirstOrDefault() ?? DefaultRule;
}

/// <summary>A template as an admin gives it: unvalidated (see <see cref="FreightTemplateRules"/>).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightTemplateDraft")]
public sealed record FreightTemplateDraft(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? ChargeBy,
    [property: Id(2)] FreightRuleDraft? DefaultRule,
    [property: Id(3)] IReadOnlyList<FreightRuleDraft>? Rules,
    [property: Id(4)] IReadOnlyList<string>? NotDelivered,
    [property: Id(5)] long? FreeShippingThresholdFen);

[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightRuleDraft")]
public sealed record FreightRuleDraft(
    [property: Id(0)] IReadOnlyList<string>? Regions,
    [property: Id(1)] int? FirstUnits,
    [property: Id(2)] long? FirstFen,
    [property: Id(3)] int? AdditionalUnits,
    [property: Id(4)] long? AdditionalFen);

[GenerateSerializer, Alias("Shop.Shipping.FreightTemplateOutcomeStatus")]
public enum FreightTemplateOutcomeStatus
{
    Ok = 0,
    NotFound = 1,
    Invalid = 2,
    VersionConflict = 3,

    /// <summary>The default template cannot be deleted (every product without a template uses it).</summary>
    DefaultTemplate = 4,

    /// <summary>Products still name the template: deleting it would move them to the default template unseen.</summary>
    InUse = 5,
}

[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightTemplateOutcome")]
public sealed record FreightTemplateOutcome(
    [property: Id(0)] FreightTemplateOutcomeStatus Status,
    [property: Id(1)] FreightTemplate? Template = null,
    [property: Id(2)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: Id(170)] string? Detail = null);

/// <summary>GB/T 2260 codes are hierarchical: 330106 is in city 330100, in province 330000.</summary>
public static class RegionCodes
{
    /// <summary>True when <paramref name="code"/> is the district itself, its city or its province.</summary>
    public static bool Covers(string code, string districtCode) =>
        code == districtCode || code == CityOf(districtCode) || code == ProvinceOf(districtCode);

    public static string ProvinceOf(string code) => code.Length == 6 ? code[..2] + "0000" : code;

    public static string CityOf(string code) => code.Length == 6 ? code[..4] + "00" : code;

    /// <summary>0 for a province code, 1 for a city code, 2 for a district code.</summary>
    public static int Depth(string code) => code.EndsWith("0000", StringComparison.Ordinal) ? 0 : code.EndsWith("00", StringComparison.Ordinal) ? 1 : 2;
}
