using System.Diagnostics;

namespace Shop.Benchmarks;

/// <summary>What one measured run did: operations, failures, wall time and latency percentiles.</summary>
public sealed record LoadResult(string Name, int Callers, int Operations, int Failures, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p * LatenciesMs.Length))];

    public override string ToString() =>
        $"{Name,-34} callers {Callers,4}  ops {Operations,7}  fail {Failures,5}  {PerSecond,9:N0}/s  p50 {Percentile(0.50),7:N1} ms  p99 {Percentile(0.99),7:N1} ms";
}

/// <summary>
/// A closed loop: <c>callers</c> concurrent callers each run the next operation as soon as their previous one ended,
/// over a fixed list of work items (so every item runs exactly once) or for a fixed time.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(string name, int callers, int operations, Func<int, Task> operation)
    {
        var next = -1;
        var failures = 0;
        var latencies = new double[operations];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < operations)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await operation(i);
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine($"{name}: {ex.GetType().Name}: {ex.Message}");
                    }
                }

                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        clock.Stop();
        Array.Sort(latencies);
        return new LoadResult(name, callers, operations, failures, clock.Elapsed, latencies);
    }
}
