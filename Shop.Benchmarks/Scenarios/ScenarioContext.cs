using Shop.Benchmarks.Cli;
using Shop.Benchmarks.Hosts;
using Shop.Benchmarks.Load;
using Shop.Benchmarks.Postgres;
using Shop.Benchmarks.Report;

namespace Shop.Benchmarks.Scenarios;

/// <summary>What every scenario gets: the options, the deployment, the PostgreSQL server, and the results so far.</summary>
public sealed class ScenarioContext(BenchmarkOptions options, ShopDeployment deployment, PostgresTarget? postgres)
{
    public BenchmarkOptions Options { get; } = options;

    public ShopDeployment Deployment { get; } = deployment;

    /// <summary>The server the baseline runs on; null with <c>--url</c> and no <c>--db</c>.</summary>
    public PostgresTarget? Postgres { get; } = postgres;

    public List<ScenarioResult> Results { get; } = [];

    public ScenarioSizes Sizes => Options.Sizes;

    public LoadPlan Measure(int? callers = null) => new(callers ?? Options.Callers, Options.Operations is null ? Options.Duration : null, Options.Operations);

    public LoadPlan Warmup(int? callers = null) => new(callers ?? Options.Callers, Options.Warmup, null);

    /// <summary>Runs the same operation first as warm-up (JIT, tiering, pools, caches), then measured, counting statements.</summary>
    public async Task<(LoadResult Warmup, LoadResult Run, StatementCount? Statements)> WarmThenMeasureAsync(
        string name, Func<int, long, Task<Outcome>> operation, LoadPlan? plan = null, bool countStatements = true)
    {
        var warmup = await LoadRunner.RunAsync(name + " warm-up", Warmup(plan?.Callers), operation);
        var statements = countStatements ? await StatementCounter.StartAsync(Deployment.Database) : null;
        var run = await MeasureCpuAsync(name, () => LoadRunner.RunAsync(name, plan ?? Measure(), operation));
        var count = statements is null ? null : await statements.StopAsync(run.Operations);
        PrintStatements(count, name);
        return (warmup, run, count);
    }

    /// <summary>CPU per operation of the last measured run, by process (see <see cref="CpuMeter"/>).</summary>
    public Dictionary<string, double>? LastCpu { get; private set; }

    /// <summary>Runs <paramref name="run"/>, prints it, and keeps the CPU each process spent on it in <see cref="LastCpu"/>.</summary>
    public async Task<LoadResult> MeasureCpuAsync(string name, Func<Task<LoadResult>> run)
    {
        var meter = await CpuMeter.ForAsync(Deployment);
        var before = meter.Sample();
        var result = await run();
        LastCpu = CpuMeter.PerOperation(before, meter.Sample(), result.Operations);
        Console.WriteLine($"  {result}");
        if (LastCpu is not null)
        {
            Console.WriteLine($"  {CpuMeter.Describe(LastCpu)}");
        }

        return result;
    }

    public static void PrintStatements(StatementCount? count, string what)
    {
        if (count is not null)
        {
            Console.WriteLine($"  SQL statements per operation ({what}): {count.PerOperation:N2}{Environment.NewLine}{count.Breakdown}");
        }
    }

    /// <summary>The ratio of <paramref name="result"/> to a baseline of this run (null when the baseline did not run).</summary>
    public ScenarioResult Compare(ScenarioResult result, string baseline)
    {
        var floor = Results.FirstOrDefault(r => r.Scenario == baseline);
        return floor is null || floor.PerSecond == 0
            ? result with { Baseline = baseline }
            : result with { Baseline = baseline, Ratio = Math.Round(result.PerSecond / floor.PerSecond, 3) };
    }
}
