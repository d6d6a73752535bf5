using System.Net;
using Microsoft.Extensions.Configuration;

namespace Shop.Hosting;

/// <summary>Cluster identity and ports (<c>Orleans:*</c>), shared by silo and client so they always agree.</summary>
public sealed record ShopClusterOptions(string ClusterId, string ServiceId, int SiloPort, int GatewayPort, IPAddress AdvertisedAddress)
{
    public static ShopClusterOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Orleans");
        var address = section["AdvertisedIPAddress"] ?? "127.0.0.1";
        if (!IPAddress.TryParse(address, out var ip))
        {
            throw new ShopConfigurationException($"Orleans:AdvertisedIPAddress '{address}' is not an IP address.");
        }

        return new ShopClusterOptions(
            section["ClusterId"] ?? "shop",
            section["ServiceId"] ?? "shop",
            Port(section, "SiloPort", 11111),
            Port(section, "GatewayPort", 30000),
            ip);
    }

    private static int Port(IConfiguration section, string key, int fallback)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ShopConfigurationException($"Orleans:{key} '{raw}' is not a port number.");
    }
}
