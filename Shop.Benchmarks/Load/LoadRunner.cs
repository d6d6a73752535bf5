using System.Diagnostics;

namespace Shop.Benchmarks.Load;

/// <summary>What one operation ended as.</summary>
public enum Outcome
{
    /// <summary>Done as asked; its latency counts.</summary>
    Ok,

    /// <summary>An error or an unexpected answer.</summary>
    Failed,

    /// <summary>A correct refusal that ends this caller's work (e.g. 409 out of stock once sold out).</summary>
    Finished,
}

/// <summary>How long a run lasts: a duration, a number of operations, or (both null) until every caller finishes.</summary>
public sealed record LoadPlan(int Callers, TimeSpan? Duration, long? Operations);

/// <summary>
/// A closed loop: <c>callers</c> concurrent callers each start their next operation as soon as the previous one ended
/// (as 64 shoppers pressing "buy" would), numbered by a shared counter so every index runs once.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(string name, LoadPlan plan, Func<int, long, Task<Outcome>> operation)
    {
        var next = -1L;
        var failures = 0L;
        var finished = 0L;
        var perCaller = new List<double>[plan.Callers];
        var clock = Stopwatch.StartNew();
        var deadline = plan.Duration is { } d ? d : TimeSpan.MaxValue;
        var limit = plan.Operations ?? long.MaxValue;
        await Task.WhenAll(Enumerable.Range(0, plan.Callers).Select(caller => Task.Run(async () =>
        {
            var latencies = perCaller[caller] = new List<double>(4096);
            long i;
            while (clock.Elapsed < deadline && (i = Interlocked.Increment(ref next)) < limit)
            {
                var started = Stopwatch.GetTimestamp();
                Outcome outcome;
                try
                {
                    outcome = await operation(caller, i);
                }
                catch (Exception ex)
                {
                    outcome = Outcome.Failed;
                    if (Interlocked.Read(ref failures) < 3)
                    {
                        Console.Error.WriteLine($"  {name}: {ex.GetType().Name}: {ex.Message}");
                    }
                }

                switch (outcome)
                {
                    case Outcome.Ok:
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        break;
                    case Outcome.Failed:
                        Interlocked.Increment(ref failures);
                        break;
                    case Outcome.Finished:
                        Interlocked.Increment(ref finished);
                        return;
                }
            }
        })));
        clock.Stop();
        var all = perCaller.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(name, plan.Callers, all.Length, failures, finished, clock.Elapsed, all);
    }
}

/// <summary>What one measured run did: operations that succeeded, failures, wall time and latency percentiles.</summary>
public sealed record LoadResult(string Name, int Callers, long Operations, long Failures, long Finished, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Elapsed.TotalSeconds == 0 ? 0 : Operations / Elapsed.TotalSeconds;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p * LatenciesMs.Length))];

    public override string ToString() =>
        $"{Name,-28} callers {Callers,4}  ops {Operations,8:N0}  fail {Failures,5}  {PerSecond,9:N0}/s  p50 {Percentile(0.50),7:N1} ms  p99 {Percentile(0.99),7:N1} ms";
}
