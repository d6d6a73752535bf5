using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Shop.Hosting;

/// <summary>Cluster identity, ports and liveness (<c>Orleans:*</c>), shared by silo and client so they always agree.</summary>
public sealed record ShopClusterOptions(string ClusterId, string ServiceId, int SiloPort, int GatewayPort, IPAddress AdvertisedAddress)
{
    /// <summary>
    /// Bind the silo and gateway ports on every interface instead of the advertised address only. Containers need it
    /// (the advertised pod address is not always bindable); elsewhere it exposes unauthenticated ports needlessly.
    /// </summary>
    public bool ListenOnAnyHostAddress { get; init; }

    public ShopMembershipOptions Membership { get; init; } = new();

    /// <summary>How long an idle grain stays in memory before it is collected (grains may ask for less).</summary>
    public TimeSpan CollectionAge { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a SIGTERM may take: grains hand over and in-flight requests finish within it.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static ShopClusterOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Orleans");
        var address = section["AdvertisedIPAddress"] ?? "127.0.0.1";
        if (!IPAddress.TryParse(address, out var ip))
        {
            throw new ShopConfigurationException($"Orleans:AdvertisedIPAddress '{address}' is not an IP address.");
        }

        var defaults = new ShopMembershipOptions();
        var membership = section.GetSection("Membership");
        var options = new ShopClusterOptions(
            section["ClusterId"] ?? "shop",
            section["ServiceId"] ?? "shop",
            Port(section, "SiloPort", 11111),
            Port(section, "GatewayPort", 30000),
            ip)
        {
            ListenOnAnyHostAddress = Bool(section, "ListenOnAnyHostAddress", false),
            CollectionAge = Duration(section, "CollectionAge", TimeSpan.FromMinutes(15)),
            ShutdownTimeout = Duration(section, "ShutdownTimeout", TimeSpan.FromSeconds(30)),
            Membership = new ShopMembershipOptions
            {
                ProbeTimeout = Duration(membership, "ProbeTimeout", defaults.ProbeTimeout),
                NumMissedProbesLimit = Count(membership, "NumMissedProbesLimit", defaults.NumMissedProbesLimit),
                NumVotesForDeathDeclaration = Count(membership, "NumVotesForDeathDeclaration", defaults.NumVotesForDeathDeclaration),
                NumProbedSilos = Count(membership, "NumProbedSilos", defaults.NumProbedSilos),
                TableRefreshTimeout = Duration(membership, "TableRefreshTimeout", defaults.TableRefreshTimeout),
                IAmAliveTablePublishTimeout = Duration(membership, "IAmAliveTablePublishTimeout", defaults.IAmAliveTablePublishTimeout),
            },
        };
        if (options.Membership.NumVotesForDeathDeclaration > options.Membership.NumProbedSilos)
        {
            throw new ShopConfigurationException(
                $"Orleans:Membership:NumVotesForDeathDeclaration ({options.Membership.NumVotesForDeathDeclaration}) must not exceed Orleans:Membership:NumProbedSilos ({options.Membership.NumProbedSilos}).");
        }

        return options;
    }

    private static int Port(IConfigurationSection section, string key, int fallback)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ShopConfigurationException($"{section.Path}:{key} '{raw}' is not a port number.");
    }

    private static int Count(IConfigurationSection section, string key, int fallback)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 100
            ? count
            : throw new ShopConfigurationException($"{section.Path}:{key} '{raw}' is not a whole number from 1 to 100.");
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new ShopConfigurationException($"{section.Path}:{key} '{raw}' is not a positive duration (e.g. 00:00:05).");
    }

    private static bool Bool(IConfigurationSection section, string key, bool fallback)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return bool.TryParse(raw, out var value)
            ? value
            : throw new ShopConfigurationException($"{section.Path}:{key} '{raw}' is not true or false.");
    }
}

/// <summary>
/// Failure detection (<c>Orleans:Membership:*</c>). Each silo probes <see cref="NumProbedSilos"/> others every
/// <see cref="ProbeTimeout"/>; after <see cref="NumMissedProbesLimit"/> misses it asks another silo to probe indirectly
/// and votes. A silo is declared dead on <see cref="NumVotesForDeathDeclaration"/> fresh votes, so one overloaded or
/// GC-paused silo cannot evict a healthy one alone (Orleans lowers the votes needed to half the active silos, rounded
/// up, so that a 2-silo cluster can still evict).
/// </summary>
public sealed record ShopMembershipOptions
{
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public int NumMissedProbesLimit { get; init; } = 3;

    public int NumVotesForDeathDeclaration { get; init; } = 2;

    public int NumProbedSilos { get; init; } = 3;

    public TimeSpan TableRefreshTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan IAmAliveTablePublishTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
