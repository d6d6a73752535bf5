namespace Shop.Grains.Interfaces.Inventory;

[GenerateSerializer, Alias("Shop.Inventory.ReserveStatus")]
public enum ReserveStatus
{
    /// <summary>This call reserved the units.</summary>
    Reserved,

    /// <summary>An earlier call for the same order reserved them; <see cref="ReserveResult.Quantity"/> is what it reserved.</summary>
    AlreadyReserved,

    /// <summary>Not enough available units; nothing was reserved. <see cref="ReserveResult.Available"/> says how many are.</summary>
    Insufficient,

    /// <summary>The order's reservation was already paid.</summary>
    AlreadyConfirmed,

    /// <summary>The order's reservation was already released (cancelled or expired); order ids are not reused.</summary>
    AlreadyReleased,

    // Campaign reservations (ReserveRequest.CampaignId) and reservation hoarding (ReserveRequest.UserId).

    /// <summary>The campaign holds no allotment of this SKU.</summary>
    CampaignUnknown,

    /// <summary>The campaign's window has not opened yet.</summary>
    CampaignNotStarted,

    /// <summary>The campaign's window closed (or an admin ended it).</summary>
    CampaignEnded,

    /// <summary>The campaign's allotment is all reserved or sold; <see cref="ReserveResult.Available"/> is what is left of it.</summary>
    CampaignSoldOut,

    /// <summary>The customer's units in this campaign (reserved and sold) would exceed its per-customer limit.</summary>
    CampaignLimitReached,

    /// <summary>The customer's units of this SKU in unpaid orders would exceed the hoarding limit.</summary>
    UnpaidUnitsLimit,
}

/// <summary>One reservation of <see cref="IInventoryGrain.ReserveManyAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Inventory.ReserveRequest")]
/// <param name="UserId">The customer, for the hoarding limit and a campaign's per-customer limit (null: neither applies).</param>
/// <param name="CampaignId">Reserve from this campaign's allotment instead of the general stock.</param>
public sealed record ReserveRequest(
    [property: Id(0)] string OrderId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(30)] string? UserId = null,
    [property: Id(31)] string? CampaignId = null);

[GenerateSerializer, Alias("Shop.Inventory.ReserveResult")]
public sealed record ReserveResult(
    [property: Id(0)] ReserveStatus Status,
    [property: Id(1)] int Quantity,
    [property: Id(2)] long Available,
    [property: Id(3)] DateTimeOffset? ExpiresAt);

[GenerateSerializer, Alias("Shop.Inventory.ConfirmStatus")]
public enum ConfirmStatus
{
    /// <summary>The reserved units are sold (also the answer to every repeat).</summary>
    Confirmed,

    /// <summary>No reservation is known for the order.</summary>
    NotReserved,

    /// <summary>Refused: the reservation was released (cancelled or expired) before payment arrived.</summary>
    Released,
}

[GenerateSerializer, Alias("Shop.Inventory.ConfirmResult")]
public sealed record ConfirmResult(
    [property: Id(0)] ConfirmStatus Status,
    [property: Id(1)] int Quantity,
    [property: Id(2)] ReleaseReason? ReleaseReason);

[GenerateSerializer, Alias("Shop.Inventory.ReleaseStatus")]
public enum ReleaseStatus
{
    /// <summary>The units are available again (also the answer to every repeat, and when the grain expired it first).</summary>
    Released,

    /// <summary>No reservation is known for the order; nothing changed.</summary>
    NotReserved,

    /// <summary>Refused: the order is paid, its units are sold.</summary>
    AlreadyConfirmed,
}

[GenerateSerializer, Alias("Shop.Inventory.ReleaseReason")]
public enum ReleaseReason
{
    Cancelled,
    Expired,
}

[GenerateSerializer, Alias("Shop.Inventory.ReleaseResult")]
public sealed record ReleaseResult(
    [property: Id(0)] ReleaseStatus Status,
    [property: Id(1)] int Quantity,
    [property: Id(2)] ReleaseReason? Reason);

[GenerateSerializer, Alias("Shop.Inventory.AdjustStatus")]
public enum AdjustStatus
{
    Adjusted,

    /// <summary>Refused: the correction would take more units than are available.</summary>
    InsufficientAvailable,

    /// <summary>A repeat of an applied adjustment (same operator, key, delta and reason): nothing applied; the levels are those it answered.</summary>
    AlreadyAdjusted,

    /// <summary>Refused: the operator's key was already used with another delta or reason; nothing applied.</summary>
    KeyReused,
}

[GenerateSerializer, Alias("Shop.Inventory.AdjustResult")]
public sealed record AdjustResult(
    [property: Id(0)] AdjustStatus Status,
    [property: Id(1)] StockLevels Levels);

[GenerateSerializer, Alias("Shop.Inventory.StockLevels")]
/// <param name="Allotted">Units set aside for running campaigns and not yet reserved or sold: total = available + allotted + reserved + sold.</param>
public sealed record StockLevels(
    [property: Id(0)] long Total,
    [property: Id(1)] long Available,
    [property: Id(2)] long Reserved,
    [property: Id(3)] long Sold,
    [property: Id(30)] long Allotted = 0);

[GenerateSerializer, Alias("Shop.Inventory.StockSnapshot")]
public sealed record StockSnapshot(
    [property: Id(0)] StockLevels Levels,
    [property: Id(1)] IReadOnlyList<ReservationInfo> Reservations);

[GenerateSerializer, Alias("Shop.Inventory.ReservationInfo")]
public sealed record ReservationInfo(
    [property: Id(0)] string OrderId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] DateTimeOffset ExpiresAt);

/// <summary>One page of live reservations in ordinal order of order id, with the levels of the same moment.</summary>
[GenerateSerializer, Alias("Shop.Inventory.ReservationPage")]
public sealed record ReservationPage(
    [property: Id(0)] StockLevels Levels,
    [property: Id(1)] IReadOnlyList<ReservationInfo> Reservations,
    [property: Id(2)] string? Next,
    [property: Id(3)] int ReservationCount)
{
    public const int MaxLimit = 500;

    /// <summary>An order id is at most this long, so no cursor needs to be longer.</summary>
    public const int MaxAfterLength = 100;
}
