using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>The order event log of the embedded mode: same contract as PostgreSQL, gone when the process stops.</summary>
public sealed class MemoryOrderEventStore : IOrderEventLog, IOrderEventReader
{
    private readonly Lock _gate = new();
    private readonly List<StoredOrderEvent> _events = [];
    private readonly HashSet<Guid> _ids = [];

    public string Name => "memory";

    public Task<IReadOnlyList<string?>> PublishAsync(IReadOnlyList<OrderEventEnvelope> events, CancellationToken cancellationToken)
    {
        Append(events);
        return Task.FromResult<IReadOnlyList<string?>>(new string?[events.Count]);
    }

    /// <summary>Stores each event not stored yet, in order (the in-memory orders store calls this inside its own write).</summary>
    internal void Append(IReadOnlyList<OrderEventEnvelope> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                if (_ids.Add(e.EventId))
                {
                    _events.Add(new StoredOrderEvent(_events.Count + 1, e.EventId, e.OrderNo, e.Type, e.OccurredAt, e.Payload));
                }
            }
        }
    }

    public Task<OrderEventPage> ReadAsync(long after, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Seq is the 1-based position, so the page starts right at index "after".
            var start = (int)Math.Min(after, _events.Count);
            var page = _events.Skip(start).Take(limit).ToArray();
            return Task.FromResult(new OrderEventPage([.. page], page.Length == 0 ? after : page[^1].Seq));
        }
    }
}
