using Refit;

namespace Shop.Client;

public static class ShopApiClient
{
    /// <summary>
    /// A typed client over <paramref name="httpClient"/> (its BaseAddress is the API root; its default headers,
    /// e.g. the bearer token, go with every call), speaking the API's JSON rules.
    /// </summary>
    public static IShopApi Create(HttpClient httpClient) =>
        RestService.For<IShopApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
