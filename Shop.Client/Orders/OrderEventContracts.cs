using System.Text.Json;

namespace Shop.Client.Orders;

/// <summary>One entry of the order event log; <see cref="Payload"/> is the event's own JSON (camelCase).</summary>
public sealed record OrderEventResponse(long Seq, Guid EventId, string OrderNo, string Type, DateTimeOffset OccurredAt, JsonElement Payload);

/// <summary>A page of the log, oldest first; ask for the next one with <c>after = Next</c> (an empty page keeps it).</summary>
public sealed record OrderEventPageResponse(IReadOnlyList<OrderEventResponse> Events, long Next)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
}
