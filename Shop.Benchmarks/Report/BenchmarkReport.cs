using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Benchmarks.Report;

/// <summary>The run's figures: a table on the console and, with <c>--json</c>, the same as a file for CI and the README.</summary>
public sealed record BenchmarkReport(
    [property: JsonPropertyName("machine")] MachineInfo Machine,
    [property: JsonPropertyName("results")] IReadOnlyList<ScenarioResult> Results)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task WriteJsonAsync(string path) => await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json));

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"{Machine.Cores} cores ({Machine.Cpu}), {Machine.MemoryGb} GB, {Machine.Os}, {Machine.Dotnet}; hosts: {Machine.Hosts}");
        Console.WriteLine($"PostgreSQL {Machine.Postgres} ({Machine.PostgresServer}): fsync={Machine.Fsync}, synchronous_commit={Machine.SynchronousCommit}");
        Console.WriteLine($"{"scenario",-22} {"per second",11} {"p50 ms",8} {"p99 ms",8} {"fail",5} {"oversold",8} {"stmts/op",8} {"vs raw PostgreSQL",-30} audit");
        foreach (var r in Results)
        {
            var ratio = r.Ratio is { } x ? $"{x:N3}× {r.Baseline}" : r.Baseline is null ? "" : $"({r.Baseline} not run)";
            var audit = r.AuditPassed switch { true => "passed", false => "FAILED", null => "" };
            Console.WriteLine($"{r.Scenario,-22} {r.PerSecond,11:N0} {r.P50Ms,8:N1} {r.P99Ms,8:N1} {r.Failures,5} {r.Oversold,8} {r.StatementsPerOperation?.ToString("N2") ?? "",8} {ratio,-30} {audit}");
            if (r.CpuMsPerOperation is { } cpu)
            {
                Console.WriteLine($"    {CpuMeter.Describe(cpu)}");
            }

            foreach (var note in r.Notes)
            {
                Console.WriteLine($"    {note}");
            }
        }
    }
}
