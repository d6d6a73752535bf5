using System.Net;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Shop.Client.Shipping;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Catalog;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.Shipping;

/// <summary>Templates, products naming them and addresses, made through the HTTP API as a merchant and a shopper would.</summary>
internal static class ShippingTestSupport
{
    /// <summary>西湖区, 杭州市, 浙江省.</summary>
    public const string Xihu = "330106";

    /// <summary>东城区, 北京市.</summary>
    public const string Dongcheng = "110101";

    /// <summary>城关区, 拉萨市, 西藏自治区.</summary>
    public const string Chengguan = "540102";

    public static IShippingApi Shipping(this ShopTestCluster cluster, string token) => ShippingApiClient.Create(cluster.CreateClient(token));

    public static FreightRuleRequest Rule(int firstUnits, long firstFen, int additionalUnits, long additionalFen, params string[] regions) =>
        new(regions, firstUnits, firstFen, additionalUnits, additionalFen);

    public static async Task<FreightTemplateResponse> TemplateAsync(this ShopTestCluster cluster, FreightTemplateRequest request) =>
        OrderTestSupport.Ok(await cluster.Shipping(TestTokens.Admin()).CreateTemplateAsync(request), HttpStatusCode.Created);

    /// <summary>An on-shelf product without options naming <paramref name="templateId"/>, weighing <paramref name="grams"/>, with 100 in stock.</summary>
    public static async Task<string> ProductAsync(this ShopTestCluster cluster, string? templateId, long price, int? grams = null)
    {
        var catalog = CatalogApiClient.Create(cluster.CreateClient(TestTokens.Admin()));
        var category = await catalog.CategoryAsync();
        var product = await catalog.OnShelfAsync(CatalogSeed.Product(category, price: price) with { FreightTemplateId = templateId, Grams = grams });
        Assert.Equal(templateId ?? "ft_default", product.FreightTemplateId);
        Assert.Equal(AdjustStatus.Adjusted, (await cluster.Grains.GetGrain<IInventoryGrain>(product.Id).AdjustAsync(100, "seed", "tests")).Status);
        return product.Id;
    }

    public static ShippingAddressRequest Address(string province = "浙江省", string city = "杭州市", string district = "西湖区", string? regionCode = null) =>
        new("张三", OrderTestSupport.Phone, province, city, district, "文三路 100 号 3 单元 501", regionCode);

    /// <summary>An address given only by its district code (names left to the region table).</summary>
    public static ShippingAddressRequest At(string regionCode) =>
        new("李四", OrderTestSupport.Phone, null, null, null, "1 号院", regionCode);

    public static CreateOrderRequest Order(ShippingAddressRequest address, params (string Sku, int Quantity)[] lines) =>
        new([.. lines.Select(l => new OrderItemRequest(null, l.Quantity, l.Sku))], address, null);

    public static async Task<ShippingQuoteResponse> QuoteAsync(this ShopTestCluster cluster, string token, string regionCode, params (string Sku, int Quantity)[] lines) =>
        OrderTestSupport.Ok(await cluster.Shipping(token).QuoteAsync(
            new ShippingQuoteRequest([.. lines.Select(l => new OrderItemRequest(null, l.Quantity, l.Sku))], RegionCode: regionCode)));
}
