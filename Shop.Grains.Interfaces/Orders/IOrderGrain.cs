namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// One order (key = its order number) for its whole life: it reserves stock, waits for payment, closes itself when
/// unpaid, and publishes what happened. Callers check ownership through <see cref="OrderCaller"/>: an order that the
/// caller may not see answers NotFound, exactly like one that does not exist.
/// </summary>
[Alias("Shop.Orders.IOrderGrain")]
public interface IOrderGrain : IGrainWithStringKey
{
    /// <summary>Creates the order; a second create of the same number (a concurrent duplicate) returns the first outcome.</summary>
    [Alias("Create")]
    Task<OrderOutcome> CreateAsync(CreateOrderCommand command);

    [Alias("Get")]
    Task<OrderOutcome> GetAsync(OrderCaller caller);

    /// <summary>The owner cancels while the order is unpaid; the stock is released.</summary>
    [Alias("Cancel")]
    Task<OrderOutcome> CancelAsync(OrderCaller caller);

    [Alias("Ship")]
    Task<OrderOutcome> ShipAsync(OrderCaller caller, string carrier, string trackingNo);

    [Alias("ConfirmReceipt")]
    Task<OrderOutcome> ConfirmReceiptAsync(OrderCaller caller);

    /// <summary>
    /// Payment arrived (called by the payments feature, and by tests as a hook): every reservation becomes sold.
    /// Idempotent per transaction; a payment for a cancelled order is kept and flagged as needing a refund.
    /// </summary>
    [Alias("MarkPaid")]
    Task<OrderOutcome> MarkPaidAsync(PaymentReceipt payment);

    /// <summary>Does whatever time made due (close when unpaid past the timeout, auto-complete, release again); idempotent.</summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>
    /// An admin refunds all or part of the payment. The first request with a key assigns the out_refund_no; a repeat
    /// with the same key and body returns that refund (re-sending it to WeChat Pay only if it never got there).
    /// </summary>
    [Alias("RequestRefund")]
    Task<RefundOutcome> RequestRefundAsync(OrderCaller caller, RefundCommand command);

    /// <summary>Refunds WeChat Pay has not finished (for the payments feature, which queries them).</summary>
    [Alias("GetRefundsInFlight")]
    Task<IReadOnlyList<Payments.RefundSubmission>> GetRefundsInFlightAsync();

    /// <summary>WeChat Pay's word on one refund (notification or query); idempotent.</summary>
    [Alias("ApplyRefundStatus")]
    Task<RefundUpdateResult> ApplyRefundStatusAsync(RefundStatusUpdate update);
}

/// <summary>Who is asking: the subject of the token, and whether it is an admin (admins see every order).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderCaller")]
public sealed record OrderCaller([property: Id(0)] string UserId, [property: Id(1)] bool IsAdmin)
{
    public string Actor => (IsAdmin ? "admin:" : "customer:") + UserId;
}

/// <summary>A SKU and how many: <see cref="ProductId"/> holds the SKU id (a product id names the product's only SKU).</summary>
/// <param name="CampaignId">Buy at this campaign's price, from its allotment (null: the catalog price and general stock).</param>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderItem")]
public sealed record OrderItem([property: Id(0)] string ProductId, [property: Id(1)] int Quantity,
    [property: Id(30)] string? CampaignId = null);

/// <summary>An order request the API has already checked for shape (counts, lengths, phone format).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.CreateOrderCommand")]
public sealed record CreateOrderCommand(
    [property: Id(0)] string UserId,
    [property: Id(1)] IReadOnlyList<OrderItem> Items,
    [property: Id(2)] ShippingAddress Shipping,
    [property: Id(3)] string? Remark);

[GenerateSerializer, Immutable, Alias("Shop.Orders.PaymentReceipt")]
public sealed record PaymentReceipt(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] DateTimeOffset PaidAt);

[GenerateSerializer, Alias("Shop.Orders.OrderOutcomeStatus")]
public enum OrderOutcomeStatus
{
    Ok,
    NotFound,
    ProductUnavailable,
    OutOfStock,
    InvalidTransition,

    /// <summary>A dependency (WeChat Pay) could not confirm the change is safe; nothing changed, retry later.</summary>
    Unavailable,

    // Campaigns and reservation hoarding (Shop.Grains/Campaigns): refused at creation, nothing reserved.

    /// <summary>No such campaign, or it does not sell this product.</summary>
    CampaignUnknown,

    /// <summary>The campaign has not started; <see cref="OrderOutcome.StartsAt"/> says when it does.</summary>
    CampaignNotStarted,

    CampaignEnded,

    CampaignSoldOut,

    /// <summary>The customer already holds the campaign's per-customer limit (reserved and bought).</summary>
    CampaignLimitReached,

    /// <summary>The customer already holds the most unpaid orders allowed.</summary>
    UnpaidOrderLimit,

    /// <summary>The customer's units of a product in unpaid orders would exceed the limit.</summary>
    UnpaidUnitsLimit,

    /// <summary>A line's freight template does not deliver to the address: <see cref="OrderOutcome.NotDelivered"/> names them.</summary>
    ShippingNotDelivered = 100,
}

/// <summary>A product the order could not have: unavailable (not found or off shelf), or short by what is available.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderProductProblem")]
public sealed record OrderProductProblem(
    [property: Id(0)] string ProductId,
    [property: Id(1)] int Requested,
    [property: Id(2)] long Available);

[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderOutcome")]
public sealed record OrderOutcome(
    [property: Id(0)] OrderOutcomeStatus Status,
    [property: Id(1)] OrderView? Order = null,
    [property: Id(2)] IReadOnlyList<OrderProductProblem>? Products = null,
    [property: Id(3)] string? Detail = null,
    [property: Id(4)] TimeSpan? RetryAfter = null,
    [property: Id(30)] string? CampaignId = null,
    [property: Id(31)] DateTimeOffset? StartsAt = null,
    [property: Id(100)] IReadOnlyList<Shipping.NotDeliveredLine>? NotDelivered = null)
{
    public static OrderOutcome NotFound { get; } = new(OrderOutcomeStatus.NotFound);

    public static OrderOutcome Ok(OrderView order) => new(OrderOutcomeStatus.Ok, order);
}
