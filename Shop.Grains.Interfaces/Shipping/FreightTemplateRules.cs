using System.Collections.Immutable;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Interfaces.Shipping;

/// <summary>The template rules, shared by the API (400 before any grain call) and the templates grain (the authority).</summary>
public static class FreightTemplateRules
{
    public const int NameMaxLength = 50;
    public const int MaxRules = 50;
    public const int MaxRegionsPerList = 500;
    public const long MaxFen = 10_000_000;
    public const int MaxUnits = 1_000_000;

    /// <summary>The template to store (id, version and time left for the caller), or null with every failing field.</summary>
    public static FreightTemplate? TryNormalize(FreightTemplateDraft draft, RegionTable regions, out Dictionary<string, string[]> errors)
    {
        var found = new FieldErrors([]);
        var name = draft.Name?.Trim() ?? "";
        if (name.Length is 0 or > NameMaxLength)
        {
            found.Fail("name", $"Required: 1 to {NameMaxLength} characters.");
        }

        FreightChargeBy chargeBy = default;
        if (draft.ChargeBy is not (nameof(FreightChargeBy.Piece) or nameof(FreightChargeBy.Weight)) || !Enum.TryParse(draft.ChargeBy, out chargeBy))
        {
            found.Fail("chargeBy", "Must be Piece or Weight.");
        }

        var defaultRule = draft.DefaultRule is null ? null : Rule(draft.DefaultRule, "defaultRule", regions, found, withRegions: false);
        if (draft.DefaultRule is null)
        {
            found.Fail("defaultRule", "Required: the price for every region no rule names.");
        }

        var rules = ImmutableList.CreateBuilder<FreightRule>();
        if (draft.Rules is { Count: > MaxRules })
        {
            found.Fail("rules", $"At most {MaxRules} region groups.");
        }
        else
        {
            for (var i = 0; i < (draft.Rules?.Count ?? 0); i++)
            {
                if (draft.Rules![i] is not { } rule)
                {
                    found.Fail($"rules[{i}]", "Required.");
                }
                else if (Rule(rule, $"rules[{i}]", regions, found, withRegions: true) is { } normalized)
                {
                    rules.Add(normalized);
                }
            }
        }

        var notDelivered = Codes(draft.NotDelivered, "notDelivered", regions, found);
        if (draft.FreeShippingThresholdFen is { } threshold && threshold is <= 0 or > ProductRules.PriceMaxFen * 100)
        {
            found.Fail("freeShippingThresholdFen", "More than 0 fen (omit it for no free-shipping threshold).");
        }

        errors = found.ToDictionary();
        return errors.Count > 0
            ? null
            : new FreightTemplate("", name, chargeBy, defaultRule!, rules.ToImmutable(), notDelivered, draft.FreeShippingThresholdFen, 0, default);
    }

    private static FreightRule? Rule(FreightRuleDraft draft, string prefix, RegionTable regions, FieldErrors found, bool withRegions)
    {
        var before = found.Count;
        var codes = withRegions ? Codes(draft.Regions, prefix + ".regions", regions, found) : [];
        if (withRegions && codes.Count == 0 && found.Count == before)
        {
            found.Fail(prefix + ".regions", "At least one region code.");
        }
        else if (!withRegions && draft.Regions is { Count: > 0 })
        {
            found.Fail(prefix + ".regions", "The default rule covers every region no other rule names: it lists none.");
        }

        Range(draft.FirstUnits, prefix + ".firstUnits", 1, MaxUnits, found);
        Range(draft.FirstFen, prefix + ".firstFen", 0, MaxFen, found);
        Range(draft.AdditionalUnits, prefix + ".additionalUnits", 1, MaxUnits, found);
        Range(draft.AdditionalFen, prefix + ".additionalFen", 0, MaxFen, found);
        return found.Count > before
            ? null
            : new FreightRule(codes, draft.FirstUnits!.Value, draft.FirstFen!.Value, draft.AdditionalUnits!.Value, draft.AdditionalFen!.Value);
    }

    private static ImmutableList<string> Codes(IReadOnlyList<string>? raw, string field, RegionTable regions, FieldErrors found)
    {
        if (raw is null)
        {
            return [];
        }

        if (raw.Count > MaxRegionsPerList)
        {
            found.Fail(field, $"At most {MaxRegionsPerList} region codes.");
            return [];
        }

        var unknown = raw.Where(code => regions.Find(code?.Trim()) is null).ToList();
        if (unknown.Count > 0)
        {
            found.Fail(field, $"Not codes of the national region table (GB/T 2260 province, city or district): {string.Join(", ", unknown.Take(10))}.");
        }

        return [.. raw.Select(c => c.Trim()).Distinct(StringComparer.Ordinal)];
    }

    private static void Range(long? value, string field, long min, long max, FieldErrors found)
    {
        if (value is not { } v || v < min || v > max)
        {
            found.Fail(field, $"Required: {min} to {max}.");
        }
    }
}
