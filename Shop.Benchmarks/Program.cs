using Shop.Benchmarks.Cli;
using Shop.Benchmarks.Hosts;
using Shop.Benchmarks.Postgres;
using Shop.Benchmarks.Report;
using Shop.Benchmarks.Scenarios;

// The tool an operator runs before a flash sale: see BenchmarkOptions.Usage and the README's Performance section.
BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

Console.WriteLine($"Shop benchmarks: {options}");
PostgresTarget? postgres = null;
ShopDeployment? deployment = null;
string? logs = null;
var passed = false;
// Ctrl-C or SIGTERM: no host, and no throwaway PostgreSQL, outlives the tool.
Console.CancelKeyPress += (_, _) => HostProcess.KillAll();
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    HostProcess.KillAll();
    postgres?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
};
try
{
    logs = Directory.CreateTempSubdirectory("shop-bench-logs-").FullName;
    if (options.Url is null)
    {
        postgres = await PostgresTarget.StartAsync(durable: !options.Smoke);
        Console.WriteLine(postgres);
        deployment = await ShopDeployment.StartAsync(postgres, logs);
        Console.WriteLine($"hosts (child processes, logs in {logs}): silo pid {deployment.Silo!.Pid} at {deployment.SiloAddress}, " +
            $"API pid {deployment.Api!.Pid} at {deployment.ApiAddress}");
    }
    else
    {
        postgres = options.Database is null ? null : await PostgresTarget.AttachAsync(options.Database);
        Console.WriteLine(postgres?.ToString() ?? "PostgreSQL: unknown (no --db): grain scenarios, baseline and database audits are skipped");
        deployment = ShopDeployment.Connect(options);
        Console.WriteLine($"driving the deployment at {deployment.ApiAddress}");
    }

    var context = new ScenarioContext(options, deployment, postgres);
    var failed = await ScenarioCatalog.RunAllAsync(context);
    var hosts = options.Url is null ? "Shop.Silo and Shop.Api as child processes on this machine" : $"--url {options.Url}";
    var report = new BenchmarkReport(MachineInfo.Describe(postgres, hosts, options.Smoke, args), context.Results);
    report.Print();
    if (options.JsonPath is not null)
    {
        await report.WriteJsonAsync(options.JsonPath);
        Console.WriteLine($"wrote {options.JsonPath}");
    }

    passed = !failed && context.Results.All(r => r.Passed);
    Console.WriteLine(passed ? "PASSED: no oversold unit, no lost order, no failed operation." : "FAILED: see the audit and failures above.");
    return passed ? 0 : 1;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"Benchmark failed: {ex}");
    return 1;
}
finally
{
    if (deployment is not null)
    {
        await deployment.DisposeAsync();
    }

    if (postgres is not null)
    {
        await postgres.DisposeAsync();
        postgres = null;
    }

    // The hosts' logs are what explains a failed run; a passed one leaves nothing behind.
    if (logs is not null && passed)
    {
        Directory.Delete(logs, recursive: true);
    }
    else if (logs is not null)
    {
        Console.Error.WriteLine($"host logs kept in {logs}");
    }
}
