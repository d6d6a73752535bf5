namespace Shop.Benchmarks.Load;

/// <summary>
/// Fresh ids across warm-up and measured runs (both number their operations from 0): a repeated reservation or
/// Idempotency-Key would be answered as a replay, not as new work.
/// </summary>
public sealed class IdSource(string prefix)
{
    private long _next;

    public string Next() => prefix + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
