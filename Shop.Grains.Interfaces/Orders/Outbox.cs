using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// Events an order has stored but not yet published. The grain adds events to its state in the same write as the
/// change they describe, publishes after that write, removes what was published, and publishes whatever is left
/// when it is activated again: so an event is never lost and at worst published twice (sinks dedupe by event id).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.Outbox")]
public sealed record Outbox([property: Id(0)] ImmutableList<OrderEventEnvelope> Pending)
{
    public static Outbox Empty { get; } = new(ImmutableList<OrderEventEnvelope>.Empty);

    [JsonIgnore]
    public bool IsEmpty => Pending.IsEmpty;

    public Outbox Add(OrderEventEnvelope envelope) =>
        Pending.Exists(p => p.EventId == envelope.EventId) ? this : new Outbox(Pending.Add(envelope));

    /// <summary>Without the given events; the same instance when none of them was pending.</summary>
    public Outbox Remove(IEnumerable<Guid> published)
    {
        var done = published.ToHashSet();
        return Pending.Exists(p => done.Contains(p.EventId)) ? new Outbox(Pending.RemoveAll(p => done.Contains(p.EventId))) : this;
    }
}
