using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Hands out order numbers on this silo: never the same twice across silos, restarts and clock steps, without
/// blocking and without a database round trip per number.
/// </summary>
/// <remarks>
/// Uniqueness rests on two facts. (1) Each silo generates under a worker id that no other live silo holds (a lease in
/// PostgreSQL, see <see cref="OrderWorkerLeaseService"/>). (2) Within a worker id, timestamps only move forward, even
/// across owners: the lease row carries a high-water mark, a timestamp this generator may not pass until it has
/// stored a higher one, and a new owner starts above it. When the clock steps back we do not wait (that would stall
/// a grain thread for as long as the step): the clock is logical, it keeps the last timestamp and lets the sequence
/// overflow into the next millisecond, so it runs a little ahead until the wall clock catches up.
/// </remarks>
public sealed class OrderNumberGenerator(OrderNumberPermutation permutation, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private int? _workerId;
    private long _last;
    private int _sequence;
    private long _reservedUntil;
    private long _renewAhead;
    private bool _closed;
    private TaskCompletionSource _renewalWanted = NewSignal();
    private TaskCompletionSource _extended = NewSignal();

    /// <summary>The worker id in use, or null before the silo has leased one.</summary>
    public int? WorkerId
    {
        get { lock (_gate) { return _workerId; } }
    }

    /// <summary>The highest timestamp that may go into a number before the reservation is extended.</summary>
    public long ReservedUntil
    {
        get { lock (_gate) { return _reservedUntil; } }
    }

    /// <summary>Where the (logical) clock stands now: the basis for the next reservation.</summary>
    public long CurrentTimestamp
    {
        get
        {
            var now = Snowflake.ToTimestamp(clock.GetUtcNow());
            lock (_gate) { return Math.Max(now, _last); }
        }
    }

    /// <summary>Completes when the reservation is running low (or ran out) and should be extended now, not at the next tick.</summary>
    public Task RenewalWanted
    {
        get { lock (_gate) { return _renewalWanted.Task; } }
    }

    /// <exception cref="OrderNumberUnavailableException">No worker id yet, the silo is stopping, or the reservation ran out.</exception>
    public string Next()
    {
        var now = clock.GetUtcNow();
        return OrderNumber.Format(now, permutation.Permute(NextValue(Snowflake.ToTimestamp(now))));
    }

    /// <summary>
    /// Like <see cref="Next"/>, but when the reservation has run out (e.g. the clock jumped forward) it waits, without
    /// blocking a thread, up to <paramref name="wait"/> for the lease service to extend it.
    /// </summary>
    public async ValueTask<string> NextAsync(TimeSpan wait)
    {
        Task extended;
        lock (_gate)
        {
            extended = _extended.Task;
        }

        try
        {
            return Next();
        }
        catch (OrderNumberUnavailableException) when (WaitsForExtension)
        {
        }

        try
        {
            await extended.WaitAsync(wait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new OrderNumberUnavailableException("The order worker id's reservation was not extended in time (is PostgreSQL reachable?).");
        }

        return Next();
    }

    private bool WaitsForExtension
    {
        get { lock (_gate) { return !_closed && _workerId is not null; } }
    }

    private ulong NextValue(long now)
    {
        lock (_gate)
        {
            if (_workerId is not { } workerId || _closed)
            {
                throw new OrderNumberUnavailableException(_closed
                    ? "This silo is shutting down and no longer issues order numbers."
                    : "This silo has not leased an order worker id yet.")
                {
                    SiloStopping = _closed,
                };
            }

            if (now > _last)
            {
                _last = now;
                _sequence = 0;
            }
            else if (_sequence < Snowflake.MaxSequence)
            {
                _sequence++;
            }
            else
            {
                _last++;
                _sequence = 0;
            }

            if (_last > _reservedUntil - _renewAhead)
            {
                _renewalWanted.TrySetResult();
            }

            if (_last > _reservedUntil)
            {
                throw new OrderNumberUnavailableException(
                    "The order worker id's reservation could not be extended (is PostgreSQL reachable?).");
            }

            return Snowflake.Compose(_last, workerId, _sequence);
        }
    }

    /// <summary>Starts generating under <paramref name="workerId"/> strictly above <paramref name="floor"/>.</summary>
    /// <param name="renewAhead">How close to <paramref name="reservedUntil"/> the clock may come before <see cref="RenewalWanted"/> fires.</param>
    public void Assign(int workerId, long floor, long reservedUntil, long renewAhead = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workerId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workerId, Snowflake.MaxWorkerId);
        lock (_gate)
        {
            _workerId = workerId;
            _last = Math.Max(_last, floor);
            _sequence = Snowflake.MaxSequence;
            _reservedUntil = reservedUntil;
            _renewAhead = Math.Max(0, renewAhead);
            _closed = false;
            Signal();
        }
    }

    /// <summary>Raises the reservation (a stored high-water mark); never lowers it.</summary>
    public void Extend(long reservedUntil)
    {
        lock (_gate)
        {
            _reservedUntil = Math.Max(_reservedUntil, reservedUntil);
            Signal();
        }
    }

    private void Signal()
    {
        _extended.TrySetResult();
        _extended = NewSignal();
        if (_renewalWanted.Task.IsCompleted)
        {
            _renewalWanted = NewSignal();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops issuing numbers; returns the last timestamp used, which the next owner must stay above.</summary>
    public long Close()
    {
        lock (_gate)
        {
            _closed = true;
            return _last;
        }
    }
}

/// <summary>No order number can be issued on this silo right now; the caller should retry (possibly on another silo).</summary>
public sealed class OrderNumberUnavailableException(string message) : Exception(message)
{
    /// <summary>This silo is shutting down: another silo can issue the number.</summary>
    public bool SiloStopping { get; init; }
}
