using Shop.Grains.Interfaces.Shipping;

namespace Shop.Tests.Shipping;

/// <summary>The region table shipped in deploy/data/regions.csv, as addresses are resolved against it (no cluster).</summary>
public sealed class RegionTableTests
{
    private static RegionTable Table => RegionTable.Embedded;

    [Fact]
    public void The_shipped_table_holds_every_province_city_and_district_each_under_its_parent()
    {
        Assert.Equal(31, Table.Children(null).Count);
        var cities = Table.Children(null).SelectMany(p => Table.Children(p.Code)).ToList();
        Assert.Equal(342, cities.Count);
        var districts = cities.SelectMany(c => Table.Children(c.Code)).ToList();
        Assert.True(districts.Count > 2_900, $"{districts.Count} districts");
        Assert.Equal(Table.Count, 31 + cities.Count + districts.Count);
        Assert.All(districts, d => Assert.Equal(d.Code[..4] + "00", d.ParentCode));
    }

    [Theory]
    [InlineData("浙江省", "杭州市", "西湖区", null, "330106")]
    [InlineData("北京市", "北京市", "东城区", null, "110101")]
    [InlineData("北京市", "市辖区", "东城区", null, "110101")]
    [InlineData("重庆市", "重庆市", "巫山县", null, "500237")]
    [InlineData("广东省", "东莞市", "南城街道", null, "441900")]
    [InlineData("河南省", "济源市", "济源市", null, "419001")]
    [InlineData(null, null, null, "330106", "330106")]
    [InlineData("浙江省", null, null, "330106", "330106")]
    public void Addresses_resolve_to_their_district(string? province, string? city, string? district, string? code, string expected)
    {
        var errors = new List<string>();
        var resolved = Table.Resolve(province, city, district, code, (field, _) => errors.Add(field));
        Assert.Empty(errors);
        Assert.Equal(expected, resolved?.District.Code);
    }

    [Theory]
    [InlineData("浙江", "杭州市", "西湖区", null, "province")]
    [InlineData("浙江省", "苏州市", "西湖区", null, "city")]
    [InlineData("浙江省", "杭州市", "东城区", null, "district")]
    [InlineData("浙江省", "杭州市", "西湖区", "110101", "province")]
    [InlineData(null, null, null, "330100", "regionCode")]
    [InlineData(null, null, null, "12345", "regionCode")]
    public void Mismatches_name_the_field(string? province, string? city, string? district, string? code, string field)
    {
        var errors = new List<string>();
        Assert.Null(Table.Resolve(province, city, district, code, (f, _) => errors.Add(f)));
        Assert.Contains(field, errors);
    }
}
