using Shop.Benchmarks;

// dotnet run -c Release --project Shop.Benchmarks -- [all|reserve|create-order|create-order-grains|notify] [--callers N] [--operations N] [--silos N]
var options = BenchmarkOptions.Parse(args);
Console.WriteLine($"Shop benchmarks: {options}  ({Environment.ProcessorCount} cores; PostgreSQL: {(Environment.GetEnvironmentVariable("SHOP_TEST_POSTGRES") is { Length: > 0 } ? "SHOP_TEST_POSTGRES" : "throwaway server, fsync off")})");
try
{
    foreach (var scenario in options.Scenarios)
    {
        var results = scenario switch
        {
            "reserve" => await HotPathBenchmarks.ReserveStockAsync(options),
            "create-order" => await HotPathBenchmarks.CreateOrderAsync(options),
            "create-order-grains" => await HotPathBenchmarks.CreateOrderInClusterAsync(options),
            "notify" => await NotifyBenchmark.RunAsync(options),
            _ => throw new ArgumentException($"Unknown scenario '{scenario}': use reserve, create-order, create-order-grains, notify or all."),
        };
        results.ForEach(Console.WriteLine);
    }
}
catch (Exception ex)
{
    // Returning (rather than crashing) lets the throwaway PostgreSQL server stop at process exit.
    Console.Error.WriteLine($"Benchmark failed: {ex}");
    return 1;
}

return 0;
