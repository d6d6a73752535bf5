using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// A SKU's stock in memory, built by applying events. It holds the tentative (not yet stored) events too, so that
/// decisions see every earlier decision; after a failed write the grain throws it away and loads it again.
/// </summary>
internal sealed partial class InventoryLedger(InventoryOptions options)
{
    private readonly Dictionary<string, StoredReservation> _reservations = new(StringComparer.Ordinal);
    private readonly ExpiryIndex _expiries = new();
    private readonly Dictionary<string, StoredOutcome> _outcomes = new(StringComparer.Ordinal);

    private readonly AdjustmentKeyMemory _keys = new(options.AdjustmentKeyRetention, options.MaxAdjustmentKeys);

    // Outcomes in the order they happened, so the oldest can be forgotten without scanning.
    private readonly Queue<StoredOutcome> _outcomeOrder = new();

    public long Total { get; private set; }

    public long Sold { get; private set; }

    public long Reserved { get; private set; }

    public long Available => Total - Sold - Reserved - Allotted;

    public int ReservationCount => _reservations.Count;

    /// <summary>How many entries a snapshot holds; snapshots are written no more often than this many events.</summary>
    public int Size => _reservations.Count + _outcomes.Count + _keys.Count;

    public DateTimeOffset? NextExpiry => _expiries.Next(_reservations);

    public StockLevels Levels => new(Total, Available, Reserved, Sold, Allotted);

    public bool TryGetReservation(string orderId, out StoredReservation reservation) =>
        _reservations.TryGetValue(orderId, out reservation!);

    public bool TryGetOutcome(string orderId, out StoredOutcome outcome) =>
        _outcomes.TryGetValue(orderId, out outcome!);

    public bool TryGetAdjustment(string @operator, string key, out StoredAdjustmentKey adjustment) =>
        _keys.TryGet(@operator, key, out adjustment);

    public IReadOnlyList<string> DueAt(DateTimeOffset now)
    {
        // Checked on every command: the common answer must cost no allocation.
        if (NextExpiry is not { } next || next > now)
        {
            return [];
        }

        return _expiries.DueAt(now, _reservations);
    }

    public IReadOnlyList<ReservationInfo> ListReservations() =>
        [.. _expiries.All(_reservations).Select(e => new ReservationInfo(e.OrderId, _reservations[e.OrderId].Quantity, e.ExpiresAt))];

    /// <summary>Up to <paramref name="limit"/> live reservations after <paramref name="after"/> (ordinal); next is null at the end.</summary>
    /// <remarks>
    /// One pass over the live reservations keeping the smallest ids after <paramref name="after"/> in a bounded heap:
    /// O(n log limit) per page (10 ms at a million live reservations on this VM), and nothing kept per reservation. The
    /// ordered index this replaces (a tree insert and removal per reservation, for this rare admin listing) was 5% of
    /// a silo's CPU reserving across 10,000 SKUs.
    /// </remarks>
    public IReadOnlyList<ReservationInfo> ReservationsAfter(string? after, int limit, out string? next)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // The largest kept id on top, so a smaller one replaces it; one more than the page tells whether more follow.
        var smallest = new PriorityQueue<string, string>(Math.Min(limit + 1, _reservations.Count + 1), Largest.First);
        foreach (var orderId in _reservations.Keys)
        {
            if (after is not null && string.CompareOrdinal(orderId, after) <= 0)
            {
                continue;
            }

            if (smallest.Count <= limit)
            {
                smallest.Enqueue(orderId, orderId);
            }
            else if (string.CompareOrdinal(orderId, smallest.Peek()) < 0)
            {
                smallest.DequeueEnqueue(orderId, orderId);
            }
        }

        var ids = new string[smallest.Count];
        for (var i = ids.Length - 1; i >= 0; i--)
        {
            ids[i] = smallest.Dequeue();
        }

        next = ids.Length > limit ? ids[limit - 1] : null;
        return [.. ids.Take(limit).Select(id => new ReservationInfo(id, _reservations[id].Quantity, _reservations[id].ExpiresAt))];
    }

    private sealed class Largest : IComparer<string>
    {
        public static readonly Largest First = new();

        public int Compare(string? x, string? y) => string.CompareOrdinal(y, x);
    }

    public void Apply(InventoryEvent change)
    {
        switch (change)
        {
            case StockReserved reserved:
                var reservation = new StoredReservation(reserved.OrderId, reserved.Quantity, reserved.ExpiresAt, reserved.UserId, reserved.CampaignId);
                if (!_reservations.TryAdd(reserved.OrderId, reservation) || _outcomes.ContainsKey(reserved.OrderId))
                {
                    throw Corrupt($"order {reserved.OrderId} reserved twice");
                }

                _expiries.Add(reservation.ExpiresAt, reservation.OrderId);
                Reserved += reservation.Quantity;
                CountReserved(reservation);
                break;
            case ReservationConfirmed confirmed:
                Sold += Finish(confirmed.OrderId, OutcomeKind.Confirmed, confirmed.At);
                break;
            case ReservationReleased released:
                Finish(released.OrderId, released.Reason == ReleaseReason.Expired ? OutcomeKind.Expired : OutcomeKind.Cancelled, released.At);
                break;
            case StockAdjusted adjusted:
                Total += adjusted.Delta;
                if (adjusted.Key is { } key)
                {
                    _keys.Remember(new StoredAdjustmentKey(adjusted.Operator, key, adjusted.Delta, adjusted.Reason, Total, Reserved, Sold, adjusted.At, Allotted));
                }

                break;
            case CampaignAllotted or CampaignEnded:
                ApplyCampaign(change);
                break;
            default:
                throw Corrupt($"unknown event {change.GetType().Name}");
        }

        Forget(change.At - options.OutcomeRetention);
        _keys.Forget(change.At);
    }

    private int Finish(string orderId, OutcomeKind kind, DateTimeOffset at)
    {
        if (!_reservations.Remove(orderId, out var reservation))
        {
            throw Corrupt($"order {orderId} finished without a live reservation");
        }

        _expiries.Remove(reservation.ExpiresAt, orderId, _reservations);
        Reserved -= reservation.Quantity;
        CountFinished(reservation, kind == OutcomeKind.Confirmed);
        var outcome = new StoredOutcome(orderId, kind, reservation.Quantity, at);
        _outcomes[orderId] = outcome;
        _outcomeOrder.Enqueue(outcome);
        return reservation.Quantity;
    }

    // Remembered outcomes are bounded: after the retention period a repeat call for that order is answered as unknown
    // (NotReserved); the outcome itself stays in the stored log.
    private void Forget(DateTimeOffset cutoff)
    {
        while (_outcomeOrder.TryPeek(out var oldest) && oldest.At < cutoff)
        {
            _outcomeOrder.Dequeue();
            if (_outcomes.TryGetValue(oldest.OrderId, out var current) && ReferenceEquals(current, oldest))
            {
                _outcomes.Remove(oldest.OrderId);
            }
        }
    }

    private static InvalidOperationException Corrupt(string detail) =>
        new($"The stored inventory events are inconsistent: {detail}.");
}
