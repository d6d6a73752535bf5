namespace Shop.Grains.Interfaces.PersonalData;

[GenerateSerializer, Alias("Shop.PersonalData.ErasureStatus")]
public enum ErasureStatus
{
    /// <summary>Some orders are still in a payment, refund or after-sales window: they are erased when it closes.</summary>
    Pending,

    /// <summary>Everything Shop held about the customer is erased or anonymised.</summary>
    Completed,
}

/// <summary>An order whose personal fields wait for a window to close; <see cref="Until"/> is null when no date is known yet (e.g. not shipped).</summary>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.ErasureWaitingOrder")]
public sealed record ErasureWaitingOrder(
    [property: Id(0)] string OrderNo,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset? Until,
    [property: Id(3)] string Reason);

/// <summary>
/// An erasure request as the customer or an admin sees it. <see cref="CompletesBy"/> is the latest known wait (null
/// when complete, or when an order's wait has no date yet); the request completes by itself once nothing waits.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.ErasureRequestView")]
public sealed record ErasureRequestView(
    [property: Id(0)] string RequestId,
    [property: Id(1)] ErasureStatus Status,
    [property: Id(2)] DateTimeOffset RequestedAt,
    [property: Id(3)] string RequestedBy,
    [property: Id(4)] DateTimeOffset? CompletedAt,
    [property: Id(5)] IReadOnlyList<ErasureWaitingOrder> Waiting,
    [property: Id(6)] DateTimeOffset? CompletesBy,
    [property: Id(7)] int ErasedOrders,
    [property: Id(8)] DateTimeOffset? NextAttemptAt);

[GenerateSerializer, Alias("Shop.PersonalData.OrderErasureStatus")]
public enum OrderErasureStatus
{
    Erased,
    Waiting,

    /// <summary>No such order, or it belongs to someone else (an erasure never touches another customer's order).</summary>
    NotFound,
}

[GenerateSerializer, Immutable, Alias("Shop.PersonalData.OrderErasureOutcome")]
public sealed record OrderErasureOutcome(
    [property: Id(0)] OrderErasureStatus Status,
    [property: Id(1)] ErasureWaitingOrder? Waiting = null,
    [property: Id(2)] IReadOnlyList<string>? Skus = null,
    [property: Id(3)] IReadOnlyList<string>? AfterSalesRequestIds = null);
