using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Shop.Tests.Benchmarks;

/// <summary>
/// CI keeps the pre-sale benchmark working: every scenario in smoke mode (seconds each, tiny counts, no speed
/// thresholds), run as a process like an operator runs it; it must exit 0 (no oversold unit, no lost order, no failed
/// operation) and write a well-formed JSON report. Honors SHOP_TEST_POSTGRES like the other tests.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly string[] Scenarios =
        ["baseline-pg-hot-row", "baseline-pg-order", "reserve-hot", "reserve-hot-live", "reserve-spread", "order-http-hot", "order-http-campaign", "order-http-mix", "catalog-read", "notify", "activations"];

    [Fact]
    public async Task Every_scenario_runs_in_smoke_mode_with_its_audit_passing()
    {
        var json = Path.Combine(Path.GetTempPath(), $"shop-bench-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, output) = await RunToolAsync("all", "--smoke", "--skus", "50", "--json", json);
            Assert.True(exitCode == 0, $"the benchmark exited {exitCode}:{Environment.NewLine}{output}");

            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var machine = report.RootElement.GetProperty("machine");
            Assert.True(machine.GetProperty("cores").GetInt32() > 0);
            Assert.False(string.IsNullOrEmpty(machine.GetProperty("postgres").GetString()));
            Assert.False(string.IsNullOrEmpty(machine.GetProperty("fsync").GetString()));
            var results = report.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("scenario").GetString()!);
            Assert.Equal(Scenarios.Order(), results.Keys.Order());
            foreach (var (name, result) in results)
            {
                Assert.True(result.GetProperty("per_second").GetDouble() > 0, $"{name}: nothing done");
                Assert.True(result.GetProperty("p99_ms").GetDouble() >= result.GetProperty("p50_ms").GetDouble(), name);
                Assert.Equal(0, result.GetProperty("failures").GetInt64());
                Assert.Equal(0, result.GetProperty("oversold").GetInt64());
                Assert.True(!result.TryGetProperty("audit_passed", out var audit) || audit.GetBoolean(), $"{name}: audit failed");
            }

            foreach (var audited in new[] { "reserve-hot", "reserve-hot-live", "reserve-spread", "order-http-hot", "order-http-campaign", "order-http-mix", "notify", "activations" })
            {
                Assert.True(results[audited].GetProperty("audit_passed").GetBoolean(), $"{audited} was not audited");
            }

            // --skus reaches the scenario: the operator sizes reserve-spread to the catalog.
            Assert.Contains("50 SKUs", results["reserve-spread"].GetProperty("notes").EnumerateArray().Select(n => n.GetString()));

            foreach (var compared in new[] { "reserve-hot", "reserve-spread", "order-http-hot", "order-http-campaign", "order-http-mix" })
            {
                Assert.True(results[compared].GetProperty("ratio").GetDouble() > 0, $"{compared} has no ratio to its raw-PostgreSQL baseline");
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunToolAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(ToolPath());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM-like stop would be kinder, but a hung run must not hang CI: the tool's children die with it.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the benchmark smoke run took over 5 minutes:{Environment.NewLine}{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The tool built next to this test assembly's configuration (the test project references it, so it is built).</summary>
    private static string ToolPath()
    {
        var configuration = typeof(BenchmarkSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var tool = Path.Combine(dir.FullName, "Shop.Benchmarks", "bin", configuration, "net10.0", "Shop.Benchmarks.dll");
            if (File.Exists(Path.Combine(dir.FullName, "Shop.sln")))
            {
                return File.Exists(tool) ? tool : throw new FileNotFoundException($"build Shop.sln -c {configuration} first", tool);
            }
        }

        throw new DirectoryNotFoundException($"Shop.sln not found above {AppContext.BaseDirectory}");
    }
}
