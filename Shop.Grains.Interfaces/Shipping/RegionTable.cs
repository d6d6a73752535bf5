using System.Collections.Frozen;

namespace Shop.Grains.Interfaces.Shipping;

public enum RegionLevel
{
    Province,
    City,
    District,
}

/// <summary>One row of the region table: a GB/T 2260 code (6 digits), its name, level and parent.</summary>
public sealed record Region(string Code, string Name, RegionLevel Level, string? ParentCode);

/// <summary>A district (county-level region) with its city and province: what an address resolves to.</summary>
public sealed record ResolvedRegion(Region Province, Region City, Region District)
{
    public override string ToString() => $"{District.Code} ({Province.Name} {City.Name} {District.Name})";
}

/// <summary>
/// The national region table (province, city, district with GB/T 2260 codes), shipped as deploy/data/regions.csv and
/// embedded in this assembly: read once per process, then every lookup is in memory.
/// </summary>
public sealed class RegionTable
{
    private static readonly Lazy<RegionTable> LazyEmbedded = new(LoadEmbedded);

    /// <summary>
    /// The cities of a municipality are "市辖区" (and "县" for Chongqing's counties); addresses write the municipality
    /// there ("北京市 北京市 东城区"), so both are accepted. Likewise the county-level cities directly under a province.
    /// </summary>
    private static readonly FrozenSet<string> PlaceholderCities = new[] { "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划" }.ToFrozenSet();

    private readonly FrozenDictionary<string, Region> _byCode;

    /// <summary>Each region's children by code (the provinces under ""), sorted once: addresses are resolved on every order.</summary>
    private readonly FrozenDictionary<string, Region[]> _children;

    public RegionTable(IEnumerable<Region> regions)
    {
        _byCode = regions.ToFrozenDictionary(r => r.Code, StringComparer.Ordinal);
        _children = _byCode.Values.GroupBy(r => r.ParentCode ?? "", StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(r => r.Code, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public static RegionTable Embedded => LazyEmbedded.Value;

    public int Count => _byCode.Count;

    public Region? Find(string? code) => code is not null && _byCode.TryGetValue(code, out var region) ? region : null;

    /// <summary>The provinces (<paramref name="parentCode"/> null), or the cities of a province, or the districts of a city.</summary>
    public IReadOnlyList<Region> Children(string? parentCode) => _children.TryGetValue(parentCode ?? "", out var children) ? children : [];

    /// <summary>
    /// The district <paramref name="code"/> names, with its city and province; null unless it is a district of the
    /// table, or a city without districts (东莞市, 中山市, 儋州市: the city is the address's region).
    /// </summary>
    public ResolvedRegion? ResolveDistrict(string? code) => Find(code) switch
    {
        { Level: RegionLevel.District } district when Find(district.ParentCode) is { } city && Find(city.ParentCode) is { } province =>
            new ResolvedRegion(province, city, district),
        { Level: RegionLevel.City } city when Children(city.Code).Count == 0 && Find(city.ParentCode) is { } province =>
            new ResolvedRegion(province, city, city),
        _ => null,
    };

    /// <summary>
    /// Resolves an address's region: by <paramref name="regionCode"/> when given (the names, when given, must be its
    /// names), else by the names (province, then a city of it, then a district of that city). Problems go to
    /// <paramref name="fail"/> by field (<c>regionCode</c>, <c>province</c>, <c>city</c>, <c>district</c>).
    /// </summary>
    public ResolvedRegion? Resolve(string? province, string? city, string? district, string? regionCode, Action<string, string> fail)
    {
        province = Blank(province);
        city = Blank(city);
        district = Blank(district);
        if (Blank(regionCode) is { } code)
        {
            if (ResolveDistrict(code) is not { } byCode)
            {
                fail("regionCode", "Not a district code of the national region table (6 digits, GB/T 2260, e.g. 330106).");
                return null;
            }

            var ok = true;
            if (province is not null && province != byCode.Province.Name)
            {
                fail("province", $"Region {byCode} is in {byCode.Province.Name}.");
                ok = false;
            }

            if (city is not null && !CityMatches(byCode.Province, byCode.City, city))
            {
                fail("city", $"Region {byCode} is in {byCode.City.Name}.");
                ok = false;
            }

            if (district is not null && byCode.District != byCode.City && district != byCode.District.Name)
            {
                fail("district", $"Region {byCode} is {byCode.District.Name}.");
                ok = false;
            }

            return ok ? byCode : null;
        }

        var provinceRegion = province is null ? null : Children(null).FirstOrDefault(p => p.Name == province);
        if (provinceRegion is null)
        {
            fail("province", province is null ? "Required (or give regionCode)." : $"'{province}' is not a province of the national region table (e.g. 浙江省, 北京市).");
            return null;
        }

        var cities = city is null ? [] : Children(provinceRegion.Code).Where(c => CityMatches(provinceRegion, c, city)).ToList();
        if (cities.Count == 0)
        {
            // A county-level city directly under the province (济源市) is written as its own city.
            if (city is not null && Children(provinceRegion.Code).Where(c => PlaceholderCities.Contains(c.Name))
                    .SelectMany(c => Children(c.Code)).FirstOrDefault(d => d.Name == city) is { } direct)
            {
                return new ResolvedRegion(provinceRegion, Find(direct.ParentCode)!, direct);
            }

            fail("city", city is null ? "Required (or give regionCode)." : $"'{city}' is not a city of {provinceRegion.Name}.");
            return null;
        }

        if (cities.Count == 1 && Children(cities[0].Code).Count == 0)
        {
            // No districts (东莞市): the district field holds the town, which the table does not list.
            if (district is null)
            {
                fail("district", "Required (the town or street of the address).");
                return null;
            }

            return new ResolvedRegion(provinceRegion, cities[0], cities[0]);
        }

        var found = district is null ? null : cities.SelectMany(c => Children(c.Code)).FirstOrDefault(d => d.Name == district);
        if (found is null)
        {
            fail("district", district is null ? "Required (or give regionCode)." : $"'{district}' is not a district of {provinceRegion.Name} {city}.");
            return null;
        }

        return new ResolvedRegion(provinceRegion, Find(found.ParentCode)!, found);
    }

    /// <summary>Parses the CSV: <c>code,name,level,parent_code</c> with a header line.</summary>
    public static RegionTable Parse(TextReader reader)
    {
        var regions = new List<Region>();
        var header = reader.ReadLine();
        if (header != "code,name,level,parent_code")
        {
            throw new FormatException($"The region table starts with '{header}', not 'code,name,level,parent_code'.");
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            if (parts.Length != 4 || parts[0].Length != 6 || !Enum.TryParse<RegionLevel>(parts[2], ignoreCase: true, out var level))
            {
                throw new FormatException($"Malformed region row: '{line}'.");
            }

            regions.Add(new Region(parts[0], parts[1], level, parts[3].Length == 0 ? null : parts[3]));
        }

        return new RegionTable(regions);
    }

    private static bool CityMatches(Region province, Region city, string given) =>
        city.Name == given || (PlaceholderCities.Contains(city.Name) && (given == province.Name || given == city.Name));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static RegionTable LoadEmbedded()
    {
        using var stream = typeof(RegionTable).Assembly.GetManifestResourceStream("Shop.Shipping.regions.csv")
            ?? throw new InvalidOperationException("The region table (deploy/data/regions.csv) is not embedded in Shop.Grains.Interfaces.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
