using Shop.Grains.Interfaces.Shipping;

namespace Shop.Api.Shipping;

public static class ShippingEndpoints
{
    /// <summary>Freight templates (admin), the address book and quotes; the <c>Shipping:*</c> settings the API shows.</summary>
    public static IServiceCollection AddShopShippingApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShippingApiOptions>().Bind(configuration.GetSection("Shipping"));
        return services;
    }

    public static RouteGroupBuilder MapShippingEndpoints(this RouteGroupBuilder api)
    {
        // Read the region table now rather than on the first order: a broken embedded table fails at start.
        _ = RegionTable.Embedded.Count;
        return api.MapFreightTemplateEndpoints().MapAddressBookEndpoints().MapShippingQuoteEndpoints();
    }
}
