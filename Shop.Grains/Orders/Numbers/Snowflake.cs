namespace Shop.Grains.Orders;

/// <summary>
/// The unique 63-bit value behind an order number: milliseconds since <see cref="Epoch"/> (41 bits, good until 2094),
/// the silo's leased worker id (10 bits, 1024 silos) and a per-millisecond sequence (12 bits, 4096 numbers per ms).
/// </summary>
public static class Snowflake
{
    public const int WorkerBits = 10;
    public const int SequenceBits = 12;
    public const int TimestampBits = 41;
    public const int MaxWorkerId = (1 << WorkerBits) - 1;
    public const int MaxSequence = (1 << SequenceBits) - 1;
    public const long MaxTimestamp = (1L << TimestampBits) - 1;
    public const int WorkerIdCount = MaxWorkerId + 1;

    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Milliseconds since the epoch; 0 for clocks set before it, so a wildly wrong clock cannot go negative.</summary>
    public static long ToTimestamp(DateTimeOffset time) => Math.Max(0, (time.UtcTicks - Epoch.UtcTicks) / TimeSpan.TicksPerMillisecond);

    public static ulong Compose(long timestamp, int workerId, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timestamp, MaxTimestamp);
        ArgumentOutOfRangeException.ThrowIfNegative(workerId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workerId, MaxWorkerId);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, MaxSequence);
        return ((ulong)timestamp << (WorkerBits + SequenceBits)) | ((ulong)(uint)workerId << SequenceBits) | (uint)sequence;
    }

    public static (long Timestamp, int WorkerId, int Sequence) Decompose(ulong value) => (
        (long)(value >> (WorkerBits + SequenceBits)),
        (int)((value >> SequenceBits) & MaxWorkerId),
        (int)(value & MaxSequence));
}
