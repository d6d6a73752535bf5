using System.Net;
using Refit;
using Shop.Client;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders.Flow;

/// <summary>Seeding and request helpers shared by the order flow tests (everything through the public API).</summary>
public static class OrderTestSupport
{
    public const string Phone = "13812345678";

    public static IOrdersApi Orders(this ShopTestCluster cluster, string token) => OrdersApiClient.Create(cluster.CreateClient(token));

    /// <summary>An on-shelf product (through the admin catalog API) holding <paramref name="stock"/> units.</summary>
    public static async Task<(string Id, string Name, long Price)> ProductAsync(this ShopTestCluster cluster, long stock, long price = 1_999)
    {
        var catalog = CatalogApiClient.Create(cluster.CreateClient(TestTokens.Admin()));
        var category = await catalog.CategoryAsync();
        var product = await catalog.OnShelfAsync(CatalogSeed.Product(category, price: price));
        if (stock > 0)
        {
            Assert.Equal(AdjustStatus.Adjusted, (await cluster.Grains.GetGrain<IInventoryGrain>(product.Id).AdjustAsync(stock, "seed", "tests")).Status);
        }

        return (product.Id, product.Name, product.PriceFen);
    }

    public static Task<StockLevels> StockAsync(this ShopTestCluster cluster, string productId) =>
        cluster.Grains.GetGrain<IInventoryGrain>(productId).GetAsync().ContinueWith(t => t.Result.Levels);

    public static CreateOrderRequest Request(params (string ProductId, int Quantity)[] items) => new(
        [.. items.Select(i => new OrderItemRequest(i.ProductId, i.Quantity))],
        new ShippingAddressRequest("张三", Phone, "浙江省", "杭州市", "西湖区", "文三路 100 号 3 单元 501"),
        "leave at the door");

    public static string NewKey() => Guid.NewGuid().ToString();

    public static T Ok<T>(IApiResponse<T> response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {(response.Error as ApiException)?.Content}");
        return response.Content!;
    }

    public static ShopApiProblem Problem<T>(IApiResponse<T> response, HttpStatusCode status, string code)
    {
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {(response.Error as ApiException)?.Content}");
        var problem = ShopApiProblem.FromException((ApiException)response.Error!);
        Assert.NotNull(problem);
        Assert.Equal(code, problem.Code);
        return problem;
    }

    public static async Task<OrderResponse> CreateAsync(this IOrdersApi api, CreateOrderRequest request) =>
        Ok(await api.CreateOrderAsync(request, NewKey()), HttpStatusCode.Created);
}
