using Refit;

namespace Shop.Client.Catalog;

public static class CatalogApiClient
{
    /// <summary>A typed catalog client over <paramref name="httpClient"/>, speaking the API's JSON rules.</summary>
    public static ICatalogApi Create(HttpClient httpClient) =>
        RestService.For<ICatalogApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
