using System.Text.Json;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Facts about an order that other systems may consume (Kafka, the admin event log). They carry no personal data
/// (no name, phone or address): events leave the encrypted store and are kept forever.
/// </summary>
public abstract record OrderEvent(Guid EventId, string OrderNo, DateTimeOffset OccurredAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Type => GetType().Name;

    /// <summary>A new event id (UUIDv7: unique, and sorted by time) and the time, at the database's microsecond precision.</summary>
    public static (Guid EventId, DateTimeOffset OccurredAt) Stamp(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var occurredAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        return (Guid.CreateVersion7(occurredAt), occurredAt);
    }

    public OrderEventEnvelope ToEnvelope() =>
        new(EventId, OrderNo, Type, OccurredAt, JsonSerializer.Serialize(this, GetType(), Json));
}

/// <param name="ProductId">The product the SKU belongs to (the SKU itself for a product without options).</param>
/// <param name="Spec">The SKU's spec as sold, "颜色:白;尺码:L" (empty without options).</param>
public sealed record OrderEventLine(string SkuId, int Quantity, long UnitPriceFen, string? ProductId = null, string? Spec = null);

/// <param name="TotalFen">What the customer pays: the lines plus <paramref name="ShippingFeeFen"/>.</param>
public sealed record OrderCreated(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string UserId, long TotalFen,
    IReadOnlyList<OrderEventLine> Lines, long ShippingFeeFen = 0) : OrderEvent(EventId, OrderNo, OccurredAt);

public sealed record OrderPaid(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, long AmountFen, string TransactionId)
    : OrderEvent(EventId, OrderNo, OccurredAt);

/// <param name="Reason">"customer" (the customer cancelled) or "timeout" (not paid in time).</param>
public sealed record OrderCancelled(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string Reason)
    : OrderEvent(EventId, OrderNo, OccurredAt);

public sealed record OrderShipped(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string Carrier, string TrackingNo)
    : OrderEvent(EventId, OrderNo, OccurredAt);

public sealed record OrderCompleted(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, bool Automatic)
    : OrderEvent(EventId, OrderNo, OccurredAt);

public sealed record OrderRefundRequested(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string RefundNo, long AmountFen, string Reason)
    : OrderEvent(EventId, OrderNo, OccurredAt);

/// <param name="Full">True when the whole paid amount is refunded (the order ends Refunded); false for a partial refund.</param>
/// <param name="RefundedFen">Everything refunded on the order so far, this refund included.</param>
/// <param name="PaidFen">What the order was paid.</param>
public sealed record OrderRefunded(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string RefundNo, long AmountFen, bool Full,
    long RefundedFen, long PaidFen) : OrderEvent(EventId, OrderNo, OccurredAt);

/// <param name="Status">How WeChat Pay ended it: ABNORMAL (an operator must redirect the money), CLOSED, or REJECTED (never created).</param>
public sealed record OrderRefundFailed(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string RefundNo, long AmountFen, string Status)
    : OrderEvent(EventId, OrderNo, OccurredAt);
