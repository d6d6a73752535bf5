using Refit;

namespace Shop.Client.Shipping;

/// <summary>Freight templates (admin token), the caller's address book and quotes (customer token).</summary>
public interface IShippingApi
{
    [Get("/api/admin/freight-templates")]
    Task<IApiResponse<FreightTemplateListResponse>> ListTemplatesAsync(CancellationToken cancellationToken = default);

    [Post("/api/admin/freight-templates")]
    Task<IApiResponse<FreightTemplateResponse>> CreateTemplateAsync([Body] FreightTemplateRequest request, CancellationToken cancellationToken = default);

    [Get("/api/admin/freight-templates/{id}")]
    Task<IApiResponse<FreightTemplateResponse>> GetTemplateAsync(string id, CancellationToken cancellationToken = default);

    [Put("/api/admin/freight-templates/{id}")]
    Task<IApiResponse<FreightTemplateResponse>> UpdateTemplateAsync(string id, [Body] FreightTemplateRequest request, CancellationToken cancellationToken = default);

    [Delete("/api/admin/freight-templates/{id}")]
    Task<IApiResponse> DeleteTemplateAsync(string id, CancellationToken cancellationToken = default);

    [Get("/api/me/addresses")]
    Task<IApiResponse<AddressListResponse>> ListAddressesAsync(CancellationToken cancellationToken = default);

    [Post("/api/me/addresses")]
    Task<IApiResponse<AddressResponse>> AddAddressAsync([Body] AddressRequest request, CancellationToken cancellationToken = default);

    [Get("/api/me/addresses/{id}")]
    Task<IApiResponse<AddressResponse>> GetAddressAsync(string id, CancellationToken cancellationToken = default);

    [Put("/api/me/addresses/{id}")]
    Task<IApiResponse<AddressResponse>> ReplaceAddressAsync(string id, [Body] AddressRequest request, CancellationToken cancellationToken = default);

    [Delete("/api/me/addresses/{id}")]
    Task<IApiResponse> RemoveAddressAsync(string id, CancellationToken cancellationToken = default);

    [Post("/api/shipping/quote")]
    Task<IApiResponse<ShippingQuoteResponse>> QuoteAsync([Body] ShippingQuoteRequest request, CancellationToken cancellationToken = default);

    [Get("/api/cart/quote")]
    Task<IApiResponse<ShippingQuoteResponse>> QuoteCartAsync([Query] string? addressId = null, CancellationToken cancellationToken = default);
}

public static class ShippingApiClient
{
    public static IShippingApi Create(HttpClient httpClient) =>
        RestService.For<IShippingApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
