using System.Net;
using System.Net.Sockets;

namespace Shop.Benchmarks.Hosts;

/// <summary>
/// Listening ports for the hosts a run starts (PostgreSQL, silos, the API, the simulator), shared with Shop.Tests as a
/// linked file. They come from below the kernel's ephemeral range: a port the OS hands out for port 0 is free when
/// picked but may be taken by any outgoing connection (to PostgreSQL, to a silo gateway) before the host binds it
/// seconds later, and a CI run was lost to exactly that ("address already in use"). Outgoing connections never use
/// ports outside the ephemeral range, so a port from below it stays free unless another process listens on it; each
/// process starts at a random place in the range to keep concurrent runs apart.
/// </summary>
public static class FreePorts
{
    private const int LowestPort = 10_000;
    private const int FallbackEphemeralLow = 32_768;
    private static readonly (int Low, int High) Range = ListeningRange();
    private static int _next = Random.Shared.Next();

    public static int Next()
    {
        var (low, high) = Range;
        if (high - low < 1_000)
        {
            // An unusual kernel setting leaves no room below the ephemeral range: let the OS pick.
            return Probe(IPAddress.Loopback, 0);
        }

        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = low + (int)((uint)Interlocked.Increment(ref _next) % (uint)(high - low));
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port in {low}-{high - 1} after 1,000 attempts.");
    }

    private static (int Low, int High) ListeningRange()
    {
        var ephemeralLow = FallbackEphemeralLow;
        try
        {
            // "32768\t60999" on a default Linux kernel.
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(text[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        return (LowestPort, Math.Max(LowestPort, ephemeralLow));
    }

    private static bool IsFree(int port)
    {
        try
        {
            // Hosts bind loopback (the API, silos, PostgreSQL) or every address (a container's health check).
            Probe(IPAddress.Loopback, port);
            Probe(IPAddress.Any, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Probe(IPAddress address, int port)
    {
        using var listener = new TcpListener(address, port);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
