using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shop.Client;
using Shop.Client.Cart;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Catalog;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.Cart;

/// <summary>One cluster (two silos, the API, a fresh database) for the cart tests; each test uses carts of its own users.</summary>
[CollectionDefinition(Name)]
public sealed class CartCollection : ICollectionFixture<OrderClusterFixture>
{
    public const string Name = "Cart";
}

/// <summary>A shopper of one test: the typed cart client, and raw requests where the bytes themselves are asserted.</summary>
public sealed class Shopper(ShopTestCluster cluster)
{
    public string Token { get; } = TestTokens.Customer("wx:cart-" + Guid.NewGuid().ToString("N"));

    public ICartApi Cart => CartApiClient.Create(cluster.CreateClient(Token));

    public IOrdersApi Orders => cluster.Orders(Token);

    public async Task<CartResponse> SetAsync(string skuId, int quantity) =>
        OrderTestSupport.Ok(await Cart.SetItemAsync(skuId, new SetCartItemRequest(quantity)));

    public async Task<CartResponse> GetAsync() => OrderTestSupport.Ok(await Cart.GetCartAsync());

    /// <summary>POST /api/cart/checkout as bytes: status, media type and body exactly as sent.</summary>
    public async Task<RawAnswer> CheckoutRawAsync(CheckoutCartRequest request, string? key)
    {
        using var client = cluster.CreateClient(Token);
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/cart/checkout")
        {
            Content = new StringContent(JsonSerializer.Serialize(request, ShopJson.CreateOptions()), Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            message.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(message);
        return new RawAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsByteArrayAsync());
    }
}

public sealed record RawAnswer(HttpStatusCode Status, string? MediaType, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public OrderResponse Order()
    {
        Assert.True(Status == HttpStatusCode.Created, $"Expected 201, got {(int)Status}: {Text}");
        return JsonSerializer.Deserialize<OrderResponse>(Body, ShopJson.CreateOptions())!;
    }

    public JsonElement Problem(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal(ShopApiProblem.MediaType, MediaType);
        Assert.Equal(code, Json.GetProperty("code").GetString());
        return Json;
    }
}

public static class CartTestSupport
{
    public static CheckoutCartRequest Checkout(string remark = "leave at the door") => new(
        new ShippingAddressRequest("张三", OrderTestSupport.Phone, "浙江省", "杭州市", "西湖区", "文三路 100 号 3 单元 501"), remark);

    /// <summary>An on-shelf product with stock, and its request (to change its price later through the admin API).</summary>
    public static async Task<(string Id, ProductRequest Request)> SkuAsync(this ShopTestCluster cluster, long stock, long price)
    {
        var catalog = CatalogApiClient.Create(cluster.CreateClient(TestTokens.Admin()));
        var request = CatalogSeed.Product(await catalog.CategoryAsync(), price: price);
        var product = await catalog.OnShelfAsync(request);
        if (stock > 0)
        {
            Assert.Equal(AdjustStatus.Adjusted, (await cluster.Grains.GetGrain<IInventoryGrain>(product.Id).AdjustAsync(stock, "seed", "tests")).Status);
        }

        return (product.Id, request);
    }

    public static ICatalogApi Admin(this ShopTestCluster cluster) => CatalogApiClient.Create(cluster.CreateClient(TestTokens.Admin()));
}
