using System.Collections.Concurrent;

namespace Shop.Grains.Orders;

/// <summary>
/// Order numbers this silo minted and has not yet handed to an order activation. Numbers are unique, so no row can
/// exist for such a number: the order's first activation skips its read (one statement less per order). The order
/// grain is placed on the silo that asks to create it (the order creation grain, which minted the number), so the
/// activation finds the number here; anywhere else, or after the entry was taken or aged out, it reads as usual.
/// </summary>
public sealed class FreshOrderNumbers(TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private const int PurgeEvery = 4096;

    private readonly ConcurrentDictionary<string, long> _minted = new(StringComparer.Ordinal);
    private int _added;

    public void Add(string orderNo)
    {
        _minted[orderNo] = clock.GetTimestamp();
        if (Interlocked.Increment(ref _added) % PurgeEvery == 0)
        {
            // Numbers whose create never came (the caller gave up) must not pile up.
            foreach (var (number, at) in _minted)
            {
                if (clock.GetElapsedTime(at) > MaxAge)
                {
                    _minted.TryRemove(number, out _);
                }
            }
        }
    }

    /// <summary>True once for a number minted here within the last minute.</summary>
    public bool TryTake(string orderNo) => _minted.TryRemove(orderNo, out var at) && clock.GetElapsedTime(at) <= MaxAge;
}
