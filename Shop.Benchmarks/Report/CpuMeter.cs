using System.Globalization;
using Npgsql;
using Shop.Benchmarks.Hosts;

namespace Shop.Benchmarks.Report;

/// <summary>
/// CPU time spent by each part of the deployment during a run (silo, API, PostgreSQL with its backends, this driver),
/// per operation. Throughput on a shared 2-core machine swings by a third between runs; CPU per operation is what a
/// change to the product really moves, and it says which process to look into.
/// </summary>
public sealed class CpuMeter
{
    private const double TicksPerSecond = 100; // USER_HZ: the unit of /proc/[pid]/stat times on Linux
    private readonly IReadOnlyList<(string Name, int Pid, bool Tree)> _processes;

    private CpuMeter(IReadOnlyList<(string, int, bool)> processes) => _processes = processes;

    /// <summary>The processes this machine can see (none with <c>--url</c> to another machine, or off Linux).</summary>
    public static async Task<CpuMeter> ForAsync(ShopDeployment deployment)
    {
        var processes = new List<(string, int, bool)> { ("driver", Environment.ProcessId, false) };
        if (deployment.Silo is { } silo)
        {
            processes.Add(("silo", silo.Pid, false));
        }

        if (deployment.Api is { } api)
        {
            processes.Add(("api", api.Pid, false));
        }

        if (deployment.Database is { } database && await PostmasterAsync(database) is { } postmaster)
        {
            processes.Add(("postgres", postmaster, true));
        }

        return new CpuMeter(OperatingSystem.IsLinux() ? processes : []);
    }

    public IReadOnlyDictionary<string, double> Sample() => _processes.ToDictionary(p => p.Name, p => p.Tree ? TreeSeconds(p.Pid) : Seconds(p.Pid, withReaped: false));

    /// <summary>Milliseconds of CPU per operation between two samples, by process; null when nothing was measured.</summary>
    public static Dictionary<string, double>? PerOperation(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after, long operations) =>
        operations <= 0 || before.Count == 0
            ? null
            : after.ToDictionary(a => a.Key, a => Math.Round((a.Value - before.GetValueOrDefault(a.Key)) * 1000 / operations, 3));

    public static string Describe(IReadOnlyDictionary<string, double>? perOperation) => perOperation is null
        ? ""
        : "CPU ms per operation: " + string.Join(", ", perOperation.Select(p => $"{p.Key} {p.Value:N3}")) + $" (total {perOperation.Values.Sum():N3})";

    private static async Task<int?> PostmasterAsync(string database)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
            var backend = (int)(await command.ExecuteScalarAsync())!;
            return Stat(backend) is { } stat ? int.Parse(stat[1], CultureInfo.InvariantCulture) : null;
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or FormatException)
        {
            return null; // a PostgreSQL on another machine: not measured
        }
    }

    /// <summary>A process and every descendant alive now, plus the children it has already reaped (closed backends).</summary>
    private static double TreeSeconds(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat)
            {
                var parent = int.Parse(stat[1], CultureInfo.InvariantCulture);
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var total = Seconds(root, withReaped: true);
        var pending = new Stack<int>(children.GetValueOrDefault(root) ?? []);
        while (pending.TryPop(out var pid))
        {
            total += Seconds(pid, withReaped: true);
            children.GetValueOrDefault(pid)?.ForEach(pending.Push);
        }

        return total;
    }

    private static double Seconds(int pid, bool withReaped)
    {
        if (Stat(pid) is not { } stat)
        {
            return 0;
        }

        // Fields after "(comm)": [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.
        var ticks = long.Parse(stat[11], CultureInfo.InvariantCulture) + long.Parse(stat[12], CultureInfo.InvariantCulture);
        if (withReaped)
        {
            ticks += long.Parse(stat[13], CultureInfo.InvariantCulture) + long.Parse(stat[14], CultureInfo.InvariantCulture);
        }

        return ticks / TicksPerSecond;
    }

    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile
        }
    }
}
