using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>Where an order's life is: reserving (intent stored, stock being reserved), active, or rejected at creation.</summary>
public enum OrderPhase
{
    Reserving,
    Active,
    Rejected,
}

/// <summary>What the order holds in inventory; Releasing means "release again until it sticks".</summary>
public enum StockPhase
{
    Reserving,
    Held,
    Releasing,
    Released,
    Sold,
}

/// <summary>One inventory reservation: the product, how many, and the reservation id (the order number, or a retry id).</summary>
/// <param name="CampaignId">Held from this campaign's allotment (null: general stock).</param>
public sealed record StockHold(string ProductId, int Quantity, string ReservationId, string? CampaignId = null);

/// <summary>
/// The durable record of an order: one row of the <c>orders</c> table (its list columns are derived from it). The
/// shipping address is stored encrypted; the rest is not personal data.
/// </summary>
public sealed record OrderState
{
    public string OrderNo { get; init; } = "";

    public string UserId { get; init; } = "";

    public OrderPhase Phase { get; init; }

    public ImmutableList<OrderLine> Lines { get; init; } = [];

    public ImmutableList<StockHold> Holds { get; init; } = [];

    public StockPhase Stock { get; init; }

    /// <summary>Goods plus <see cref="ShippingFeeFen"/>: what the customer pays.</summary>
    public long TotalFen { get; init; }

    /// <summary>The shipping fee the freight templates gave at creation (Shop.Grains/Shipping), included in the total.</summary>
    public long ShippingFeeFen { get; init; }

    public ProtectedShippingAddress? Shipping { get; init; }

    /// <summary>The customer's remark, encrypted like the address (free text: people write phone numbers in it).</summary>
    public string? ProtectedRemark { get; init; }

    /// <summary>A remark stored in plaintext by versions before remarks were encrypted; never written any more.</summary>
    public string? Remark { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public OrderProgress Progress { get; init; } = OrderProgress.New;

    public ImmutableList<PaymentRecord> Payments { get; init; } = [];

    public Shipment? Shipment { get; init; }

    /// <summary>Parcels and the WeChat shipping-information upload (Shop.Grains/Fulfilment).</summary>
    public Interfaces.Fulfilment.OrderFulfilment? Fulfilment { get; init; }

    /// <summary>Merchant refunds, oldest first (their idempotency keys included).</summary>
    public ImmutableList<OrderRefund> Refunds { get; init; } = [];

    /// <summary>What after-sales requests claim of the lines (Shop.Grains/AfterSales/), oldest first.</summary>
    public ImmutableList<Shop.Grains.AfterSales.AfterSalesClaim> AfterSales { get; init; } = [];

    /// <summary>Products whose stock was gone when a late payment arrived: the operator must resolve them.</summary>
    public ImmutableList<string> StockShortfall { get; init; } = [];

    /// <summary>Campaigns of several SKUs whose per-customer quota this order took (Shop.Grains/Campaigns/OrderGrain.Quota.cs); not written while null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableList<string>? QuotaCampaigns { get; init; }

    public OrderOutcomeStatus? RejectedAs { get; init; }

    public ImmutableList<OrderProductProblem> Rejection { get; init; } = [];

    /// <summary>Events not yet passed on to the relays beyond the event log (Kafka); always empty without relays.</summary>
    public Outbox Outbox { get; init; } = Outbox.Empty;

    /// <summary>
    /// The events of the change being written: the orders store appends them to the event log in the same transaction
    /// as the row, so the log holds an event exactly when the change it describes is stored. Never stored in the row.
    /// </summary>
    [JsonIgnore]
    public ImmutableList<OrderEventEnvelope> Unlogged { get; init; } = [];

    /// <summary>When the order must next act by itself (see <c>OrderGrain.NextDue</c>); the due-order sweep reads it.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>When erasure or retention removed the personal fields (Shop.Grains/PersonalData/Erasure); not written while null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PersonalDataErasedAt { get; init; }

    [JsonIgnore]
    public bool Exists => OrderNo.Length > 0;

    /// <summary>The <c>status</c> column: the order status, or the phase while the order is not (or never became) real.</summary>
    [JsonIgnore]
    public string StatusColumn => Phase switch
    {
        OrderPhase.Reserving => "Reserving",
        OrderPhase.Rejected => "Rejected",
        _ => Progress.Status.ToString(),
    };
}
