namespace Shop.Grains.Inventory;

/// <summary>
/// The live reservations of a SKU by expiry. Reservations nearly always arrive in expiry order (now plus the same
/// payment window), so they go to the end of a queue in O(1); the rare one that expires before the newest (another
/// window, a restored snapshot) goes to a sorted set. A reservation that ends is dropped from the sorted set at once and
/// from the queue when it reaches the head; the queue is rebuilt when such dead entries outnumber the live ones, so
/// its size stays within twice the live reservations. Measured against the one SortedSet it replaces: its insert was
/// 7% of a silo's CPU with reservations spread over 10,000 SKUs, and every reservation allocated a tree node.
/// </summary>
/// <remarks>Liveness is read from the ledger's reservations: an entry is live while its order holds a reservation
/// with exactly that expiry.</remarks>
internal sealed class ExpiryIndex
{
    private const int CompactAbove = 1024;

    private Queue<(DateTimeOffset ExpiresAt, string OrderId)> _inOrder = new();
    private readonly SortedSet<(DateTimeOffset ExpiresAt, string OrderId)> _outOfOrder = new(ExpiryOrder.Instance);
    private long _newestTicks = long.MinValue;

    /// <summary>Entries in the queue, live or not yet dropped (for tests of its bound).</summary>
    internal int Queued => _inOrder.Count;
    private int _dead;

    public void Add(DateTimeOffset expiresAt, string orderId)
    {
        if (expiresAt.UtcTicks >= _newestTicks)
        {
            _inOrder.Enqueue((expiresAt, orderId));
            _newestTicks = expiresAt.UtcTicks;
        }
        else
        {
            _outOfOrder.Add((expiresAt, orderId));
        }
    }

    /// <summary>Called once the reservation is gone from <paramref name="live"/>.</summary>
    public void Remove(DateTimeOffset expiresAt, string orderId, Dictionary<string, StoredReservation> live)
    {
        if (_outOfOrder.Remove((expiresAt, orderId)))
        {
            return;
        }

        _dead++;
        if (_dead > CompactAbove && _dead > _inOrder.Count / 2)
        {
            var kept = new Queue<(DateTimeOffset ExpiresAt, string OrderId)>(_inOrder.Count - _dead + 16);
            foreach (var entry in _inOrder)
            {
                if (IsLive(entry, live))
                {
                    kept.Enqueue(entry);
                }
            }

            _inOrder = kept;
            _dead = 0;
        }
    }

    public DateTimeOffset? Next(Dictionary<string, StoredReservation> live)
    {
        var queued = TryPeekLive(live, out var head);
        if (_outOfOrder.Count == 0)
        {
            return queued ? head.ExpiresAt : null;
        }

        var other = _outOfOrder.Min.ExpiresAt;
        return queued && head.ExpiresAt < other ? head.ExpiresAt : other;
    }

    /// <summary>The live reservations expiring at or before <paramref name="now"/>, by expiry then order id.</summary>
    public List<string> DueAt(DateTimeOffset now, Dictionary<string, StoredReservation> live)
    {
        var due = new List<(DateTimeOffset ExpiresAt, string OrderId)>();
        foreach (var entry in _inOrder)
        {
            if (entry.ExpiresAt > now)
            {
                break;
            }

            if (IsLive(entry, live))
            {
                due.Add(entry);
            }
        }

        foreach (var entry in _outOfOrder)
        {
            if (entry.ExpiresAt > now)
            {
                break;
            }

            due.Add(entry);
        }

        due.Sort(ExpiryOrder.Instance);
        var ids = new List<string>(due.Count);
        for (var i = 0; i < due.Count; i++)
        {
            // An order id can only be queued twice if it reserved again after its first reservation was forgotten.
            if (i == 0 || due[i].OrderId != due[i - 1].OrderId)
            {
                ids.Add(due[i].OrderId);
            }
        }

        return ids;
    }

    /// <summary>Every live reservation by expiry then order id (the admin's listing: a copy, sorted).</summary>
    public List<(DateTimeOffset ExpiresAt, string OrderId)> All(Dictionary<string, StoredReservation> live)
    {
        var all = new List<(DateTimeOffset ExpiresAt, string OrderId)>(live.Count);
        all.AddRange(_inOrder.Where(e => IsLive(e, live)));
        all.AddRange(_outOfOrder);
        all.Sort(ExpiryOrder.Instance);
        return [.. all.Where((e, i) => i == 0 || e.OrderId != all[i - 1].OrderId)];
    }

    private bool TryPeekLive(Dictionary<string, StoredReservation> live, out (DateTimeOffset ExpiresAt, string OrderId) head)
    {
        while (_inOrder.TryPeek(out head))
        {
            if (IsLive(head, live))
            {
                return true;
            }

            _inOrder.Dequeue();
            _dead = Math.Max(0, _dead - 1);
        }

        return false;
    }

    private static bool IsLive((DateTimeOffset ExpiresAt, string OrderId) entry, Dictionary<string, StoredReservation> live) =>
        live.TryGetValue(entry.OrderId, out var reservation) && reservation.ExpiresAt.UtcTicks == entry.ExpiresAt.UtcTicks;

    /// <summary>By expiry, then order id.</summary>
    internal sealed class ExpiryOrder : IComparer<(DateTimeOffset ExpiresAt, string OrderId)>
    {
        public static readonly ExpiryOrder Instance = new();

        public int Compare((DateTimeOffset ExpiresAt, string OrderId) a, (DateTimeOffset ExpiresAt, string OrderId) b)
        {
            var byTime = a.ExpiresAt.UtcTicks.CompareTo(b.ExpiresAt.UtcTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.OrderId, b.OrderId);
        }
    }
}
