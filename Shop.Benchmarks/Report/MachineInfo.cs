using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using Shop.Benchmarks.Postgres;

namespace Shop.Benchmarks.Report;

/// <summary>Where the figures were measured: they only mean something next to the machine and the database settings.</summary>
public sealed record MachineInfo
{
    [JsonPropertyName("cores")] public int Cores { get; init; } = Environment.ProcessorCount;
    [JsonPropertyName("cpu")] public string Cpu { get; init; } = ReadCpu();
    [JsonPropertyName("memory_gb")] public double MemoryGb { get; init; } = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1);
    [JsonPropertyName("os")] public string Os { get; init; } = RuntimeInformation.OSDescription;
    [JsonPropertyName("dotnet")] public string Dotnet { get; init; } = RuntimeInformation.FrameworkDescription;
    [JsonPropertyName("hosts")] public string Hosts { get; init; } = "";
    [JsonPropertyName("postgres")] public string Postgres { get; init; } = "";
    [JsonPropertyName("postgres_server")] public string PostgresServer { get; init; } = "";
    [JsonPropertyName("fsync")] public string Fsync { get; init; } = "";
    [JsonPropertyName("synchronous_commit")] public string SynchronousCommit { get; init; } = "";
    [JsonPropertyName("shared_buffers")] public string SharedBuffers { get; init; } = "";
    [JsonPropertyName("smoke")] public bool Smoke { get; init; }
    [JsonPropertyName("command")] public string Command { get; init; } = "";

    public static MachineInfo Describe(PostgresTarget? postgres, string hosts, bool smoke, string[] args) => new()
    {
        Hosts = hosts,
        Postgres = postgres?.Version ?? "unknown (--url without a server of the tool's)",
        PostgresServer = postgres?.Description ?? "",
        Fsync = postgres?.Fsync ?? "unknown",
        SynchronousCommit = postgres?.SynchronousCommit ?? "unknown",
        SharedBuffers = postgres?.SharedBuffers ?? "unknown",
        Smoke = smoke,
        Command = "Shop.Benchmarks " + string.Join(' ', args),
    };

    private static string ReadCpu()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
