namespace Shop.Benchmarks;

public sealed record BenchmarkOptions(IReadOnlyList<string> Scenarios, int Callers, int Operations, int Silos)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var scenarios = new List<string>();
        int callers = 64, operations = 5_000, silos = 1;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--callers": callers = int.Parse(args[++i]); break;
                case "--operations": operations = int.Parse(args[++i]); break;
                case "--silos": silos = int.Parse(args[++i]); break;
                case "all": scenarios.AddRange(["reserve", "create-order-grains", "create-order", "notify"]); break;
                default: scenarios.Add(args[i]); break;
            }
        }

        return new BenchmarkOptions(scenarios.Count == 0 ? ["reserve", "create-order-grains", "create-order", "notify"] : scenarios, callers, operations, silos);
    }

    public override string ToString() => $"{string.Join(",", Scenarios)} callers={Callers} operations={Operations} silos={Silos}";
}
