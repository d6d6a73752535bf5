namespace Shop.Grains.Orders;

/// <summary>A payment arrived for an order that can no longer take it (cancelled, or already paid): refund it.</summary>
public sealed record OrderPaymentNeedsRefund(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string TransactionId, long AmountFen, string Status)
    : OrderEvent(EventId, OrderNo, OccurredAt);

/// <summary>An order was paid after its reservation lapsed and the stock is gone: an operator must resolve it.</summary>
public sealed record OrderStockShortfall(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, IReadOnlyList<string> ProductIds)
    : OrderEvent(EventId, OrderNo, OccurredAt);
