using System.Globalization;

namespace Shop.Benchmarks.Scenarios;

/// <summary>Reads figures from the silo's Prometheus <c>/metrics</c>, as an operator's dashboard would.</summary>
public static class SiloMetrics
{
    /// <summary>The GC heap after the last collection (all generations): after a forced full GC, what is live.</summary>
    public static Task<double> HeapAfterLastGcAsync(HttpClient silo) => SumAsync(silo, "dotnet_gc_last_collection_heap_size_bytes");

    /// <summary>Activations of every grain type (the per-type counter: the catalog-wide gauge is off by default, it walks every activation).</summary>
    public static Task<double> ActivationsAsync(HttpClient silo) => SumAsync(silo, "orleans_grains");

    private static async Task<double> SumAsync(HttpClient silo, string metric)
    {
        var text = await silo.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
