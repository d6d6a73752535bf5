namespace Shop.Benchmarks.Cli;

/// <summary>The command line: which scenarios, how hard, how long, where to (the tool's own hosts or <c>--url</c>).</summary>
public sealed record BenchmarkOptions
{
    public const string Usage = """
        usage: Shop.Benchmarks [scenario ...|all] [options]
          scenarios: baseline-pg reserve-hot reserve-hot-live reserve-spread order-http-hot order-http-campaign order-http-mix catalog-read notify activations
          --callers N          concurrent callers (default 64)
          --duration S         seconds to measure each scenario (default 20; smoke 2)
          --operations N       measure N operations instead of a duration
          --warmup S           seconds of the same load before measuring, so JIT and tiering are done (default 30; smoke 1)
          --skus N             SKUs reserve-spread spreads over (default 10,000; smoke 100), to see whether cost grows with them
          --json FILE          write {"machine": {...}, "results": [...]} to FILE
          --smoke              a few seconds each, tiny counts, a non-durable throwaway PostgreSQL, no thresholds
          --url URL            drive a running API instead of starting hosts (tokens: --signing-key K, else POST /api/dev/token)
          --db CONNSTR         with --url: the deployment's PostgreSQL (Orleans client, audit, statement counts)
          --cluster-id ID      with --url and --db: Orleans:ClusterId of the deployment (default shop)
          --service-id ID      with --url and --db: Orleans:ServiceId of the deployment (default shop)
        environment: SHOP_TEST_POSTGRES=<connection string> uses that server instead of a throwaway one.
        """;

    public static readonly string[] AllScenarios =
        ["baseline-pg", "reserve-hot", "reserve-hot-live", "reserve-spread", "order-http-hot", "order-http-campaign", "order-http-mix", "catalog-read", "notify", "activations"];

    public List<string> Scenarios { get; init; } = [];
    public int Callers { get; init; } = 64;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public long? Operations { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);
    public string? JsonPath { get; init; }
    public bool Smoke { get; init; }
    public Uri? Url { get; init; }
    public string? SigningKey { get; init; }
    public string? Database { get; init; }
    public string ClusterId { get; init; } = "shop";
    public string ServiceId { get; init; } = "shop";
    public int? SpreadSkus { get; init; }

    /// <summary>Sizes from the issue (20,000 units, 10,000 SKUs, ...) or tiny ones in smoke mode.</summary>
    public ScenarioSizes Sizes => (Smoke ? ScenarioSizes.Smoke : ScenarioSizes.Full) is var sizes && SpreadSkus is { } skus
        ? sizes with { SpreadSkus = skus }
        : sizes;

    public static BenchmarkOptions Parse(string[] args)
    {
        var scenarios = new List<string>();
        var smoke = args.Contains("--smoke");
        var options = new BenchmarkOptions
        {
            Duration = TimeSpan.FromSeconds(smoke ? 2 : 20),
            // Measured: after 10 s the order path still ran partly in instrumented (PGO) tiers, ~40% more silo CPU per order than after 30 s.
            Warmup = TimeSpan.FromSeconds(smoke ? 1 : 30),
            Smoke = smoke,
        };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--smoke" => options,
                "--callers" => options with { Callers = int.Parse(Next()) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next())) },
                "--operations" => options with { Operations = long.Parse(Next()) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(Next())) },
                "--skus" => options with { SpreadSkus = int.Parse(Next()) is var n and >= 1 ? n : throw new ArgumentException("--skus needs at least 1") },
                "--json" => options with { JsonPath = Next() },
                "--url" => options with { Url = new Uri(Next()) },
                "--signing-key" => options with { SigningKey = Next() },
                "--db" => options with { Database = Next() },
                "--cluster-id" => options with { ClusterId = Next() },
                "--service-id" => options with { ServiceId = Next() },
                "all" => AddAll(options, scenarios),
                var name when AllScenarios.Contains(name) => Add(options, scenarios, name),
                var other => throw new ArgumentException($"unknown argument '{other}'"),
            };
        }

        return options with { Scenarios = scenarios.Count == 0 ? [.. AllScenarios] : scenarios.Distinct().ToList() };
    }

    private static BenchmarkOptions AddAll(BenchmarkOptions options, List<string> scenarios)
    {
        scenarios.AddRange(AllScenarios);
        return options;
    }

    private static BenchmarkOptions Add(BenchmarkOptions options, List<string> scenarios, string name)
    {
        scenarios.Add(name);
        return options;
    }

    public override string ToString() =>
        $"{string.Join(",", Scenarios)} callers={Callers} {(Operations is { } n ? $"operations={n}" : $"duration={Duration.TotalSeconds}s")} warmup={Warmup.TotalSeconds}s{(Smoke ? " smoke" : "")}";
}

/// <summary>How big each scenario's data is.</summary>
public sealed record ScenarioSizes(int HotUnits, int LiveReservations, int SpreadSkus, int MixSkus, int Customers, int Activations)
{
    public static readonly ScenarioSizes Full = new(20_000, 20_000, 10_000, 1_000, 64, 100_000);
    public static readonly ScenarioSizes Smoke = new(300, 300, 100, 20, 8, 1_000);
}
