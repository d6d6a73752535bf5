using System.Collections.Immutable;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// An order event as it is kept pending, stored and published: <see cref="EventId"/> (UUIDv7) makes every publish
/// idempotent, <see cref="Payload"/> is the event's JSON (camelCase).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderEventEnvelope")]
public sealed record OrderEventEnvelope(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string OrderNo,
    [property: Id(2)] string Type,
    [property: Id(3)] DateTimeOffset OccurredAt,
    [property: Id(4)] string Payload);

/// <summary>An event as stored in the order event log, with its position <see cref="Seq"/> (ascending in commit order).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.StoredOrderEvent")]
public sealed record StoredOrderEvent(
    [property: Id(0)] long Seq,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] string OrderNo,
    [property: Id(3)] string Type,
    [property: Id(4)] DateTimeOffset OccurredAt,
    [property: Id(5)] string Payload);

/// <summary>Events after a position; read the next page with <c>after = Next</c>.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderEventPage")]
public sealed record OrderEventPage(
    [property: Id(0)] ImmutableArray<StoredOrderEvent> Events,
    [property: Id(1)] long Next);

public static class OrderEventQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public static bool IsValid(long after, int limit) => after >= 0 && limit is >= 1 and <= MaxLimit;
}

/// <summary>Reads the order event log for <c>GET /api/admin/events?after=&amp;limit=</c>.</summary>
[Alias("Shop.Orders.IOrderEventQueryGrain")]
public interface IOrderEventQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="limit"/> (1..<see cref="OrderEventQuery.MaxLimit"/>) events with seq &gt; <paramref name="after"/>, oldest first.</summary>
    [Alias("Read")]
    Task<OrderEventPage> ReadAsync(long after, int limit);
}
