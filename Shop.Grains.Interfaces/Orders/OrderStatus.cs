namespace Shop.Grains.Interfaces.Orders;

[GenerateSerializer, Alias("Shop.Orders.OrderStatus")]
public enum OrderStatus
{
    PendingPayment,
    Paid,
    Shipped,
    Completed,
    Cancelled,
    Refunding,
    Refunded,
}

/// <summary>What happened to an order; <see cref="OrderStateMachine"/> says which status it leads to, if any.</summary>
[GenerateSerializer, Alias("Shop.Orders.OrderTrigger")]
public enum OrderTrigger
{
    Pay,
    CustomerCancel,
    PaymentTimeout,
    Ship,
    ConfirmReceipt,
    AutoComplete,
    RequestRefund,
    RefundInFull,
    RefundPartially,
    RefundFailed,

    /// <summary>An after-sales request of the order moved (the order's own status does not change).</summary>
    AfterSales,

    /// <summary>Some of a paid order's units left in parcels, the rest to follow: the order stays Paid (see OrderStateMachine).</summary>
    ShipPart,

    /// <summary>A shipped order's parcels were corrected (WeChat's one re-upload); the status does not change.</summary>
    CorrectShipment,
}

/// <summary>One status change: when, who (e.g. "customer:u_1", "admin:a_1", "system", "wechatpay"), why.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderHistoryEntry")]
public sealed record OrderHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] OrderTrigger Trigger,
    [property: Id(3)] OrderStatus From,
    [property: Id(4)] OrderStatus To,
    [property: Id(5)] string? Reason);
