using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Grains.Shipping;

public static class ShippingRegistration
{
    /// <summary>Freight templates (with this silo's in-memory copy), the address book and quotes.</summary>
    public static IServiceCollection AddShopShipping(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShippingOptions>().Bind(configuration.GetSection(ShippingOptions.SectionName));
        services.AddSingleton<FreightTemplateCache>();
        return services;
    }
}
