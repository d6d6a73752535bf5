using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// Events an order has stored but not yet passed on to the relays beyond the order event log (Kafka). The event log
/// itself is written in the same transaction as the change (Shop.Grains/Orders PostgresOrderStore); with relays, the
/// grain also keeps the change's events here in that write, relays them after it, removes what was relayed, and relays
/// whatever is left when it is activated again: so an event is never lost and at worst relayed twice (consumers dedupe
/// by event id). Rows stored before the log was written with the change may hold events the log lacks: relaying goes
/// through the log first, which stores each event id once.
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
