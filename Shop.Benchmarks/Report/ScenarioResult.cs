using System.Text.Json.Serialization;
using Shop.Benchmarks.Load;

namespace Shop.Benchmarks.Report;

/// <summary>One row of the report (and of the JSON file): a scenario's figures, its audit, and its raw-PostgreSQL ratio.</summary>
public sealed record ScenarioResult
{
    [JsonPropertyName("scenario")] public required string Scenario { get; init; }
    [JsonPropertyName("per_second")] public double PerSecond { get; init; }
    [JsonPropertyName("p50_ms")] public double P50Ms { get; init; }
    [JsonPropertyName("p99_ms")] public double P99Ms { get; init; }
    [JsonPropertyName("failures")] public long Failures { get; init; }
    [JsonPropertyName("oversold")] public long Oversold { get; init; }
    [JsonPropertyName("operations")] public long Operations { get; init; }
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("statements_per_operation")] public double? StatementsPerOperation { get; init; }

    /// <summary>Milliseconds of CPU per operation by process (silo, api, postgres, driver): see <see cref="CpuMeter"/>.</summary>
    [JsonPropertyName("cpu_ms_per_operation")] public Dictionary<string, double>? CpuMsPerOperation { get; init; }

    /// <summary>The baseline-pg result this one is compared with, and per_second / that per_second.</summary>
    [JsonPropertyName("baseline")] public string? Baseline { get; init; }
    [JsonPropertyName("ratio")] public double? Ratio { get; init; }

    /// <summary>Null where no audit applies; false fails the run whatever the speed.</summary>
    [JsonPropertyName("audit_passed")] public bool? AuditPassed { get; init; }
    [JsonPropertyName("notes")] public List<string> Notes { get; init; } = [];

    public static ScenarioResult From(string scenario, LoadResult run, double? statementsPerOperation = null, Dictionary<string, double>? cpu = null) => new()
    {
        CpuMsPerOperation = cpu,
        Scenario = scenario,
        PerSecond = Math.Round(run.PerSecond, 1),
        P50Ms = Math.Round(run.Percentile(0.50), 2),
        P99Ms = Math.Round(run.Percentile(0.99), 2),
        Failures = run.Failures,
        Operations = run.Operations,
        Seconds = Math.Round(run.Elapsed.TotalSeconds, 2),
        StatementsPerOperation = statementsPerOperation is { } s ? Math.Round(s, 3) : null,
    };

    /// <summary>A run fails when it oversold, lost an acknowledged order (audit), or an operation failed.</summary>
    [JsonIgnore] public bool Passed => Oversold == 0 && AuditPassed != false && Failures == 0;
}
