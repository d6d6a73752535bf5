using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// One stored change to a SKU's stock. Events are immutable: once a batch is handed to a write it is never touched
/// again, so a write in flight can't see later decisions.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StockReserved), "reserved")]
[JsonDerivedType(typeof(ReservationConfirmed), "confirmed")]
[JsonDerivedType(typeof(ReservationReleased), "released")]
[JsonDerivedType(typeof(StockAdjusted), "adjusted")]
[JsonDerivedType(typeof(CampaignAllotted), "campaignAllotted")]
[JsonDerivedType(typeof(CampaignEnded), "campaignEnded")]
public abstract record InventoryEvent(DateTimeOffset At);

/// <param name="UserId">The customer (null in events stored before hoarding limits, and for callers that name none).</param>
/// <param name="CampaignId">The campaign whose allotment the units come from (null: general stock).</param>
public sealed record StockReserved(string OrderId, int Quantity, DateTimeOffset ExpiresAt, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CampaignId = null) : InventoryEvent(At);

public sealed record ReservationConfirmed(string OrderId, DateTimeOffset At) : InventoryEvent(At);

public sealed record ReservationReleased(string OrderId, ReleaseReason Reason, DateTimeOffset At) : InventoryEvent(At);

/// <summary>An admin adjustment; <paramref name="Key"/> is its Idempotency-Key (null in events stored before keys existed).</summary>
public sealed record StockAdjusted(long Delta, string Reason, string Operator, DateTimeOffset At, string? Key = null) : InventoryEvent(At);

/// <summary>The state as of a stored version, so activation reads one snapshot plus a short tail of batches.</summary>
/// <param name="AdjustmentKeys">Recent keyed adjustments, oldest first (null in snapshots stored before keys existed).</param>
public sealed record InventorySnapshot(
    long Version,
    long Total,
    long Sold,
    IReadOnlyList<StoredReservation> Reservations,
    IReadOnlyList<StoredOutcome> Outcomes,
    IReadOnlyList<StoredAdjustmentKey>? AdjustmentKeys = null,
    IReadOnlyList<StoredCampaign>? Campaigns = null);

public sealed record StoredReservation(string OrderId, int Quantity, DateTimeOffset ExpiresAt, string? UserId = null, string? CampaignId = null);

/// <summary>What became of a finished reservation, remembered so that repeated calls get the same answer.</summary>
public sealed record StoredOutcome(string OrderId, OutcomeKind Kind, int Quantity, DateTimeOffset At);

/// <summary>
/// An applied keyed adjustment and the levels it answered, remembered so that a repeat gets the same answer. The
/// levels are the ledger's right after applying it, so replaying the log computes the same ones.
/// </summary>
public sealed record StoredAdjustmentKey(
    string Operator,
    string Key,
    long Delta,
    string Reason,
    long Total,
    long Reserved,
    long Sold,
    DateTimeOffset At,
    long Allotted = 0)
{
    public StockLevels ToLevels() => new(Total, Total - Reserved - Sold - Allotted, Reserved, Sold, Allotted);
}

public enum OutcomeKind
{
    Confirmed,
    Cancelled,
    Expired,
}

/// <summary>One stored write: every event of one group commit, at one version.</summary>
public sealed record InventoryBatch(long Version, IReadOnlyList<InventoryEvent> Events);

/// <summary>What activation reads: the newest snapshot (if any) and every batch stored after it, oldest first.</summary>
public sealed record InventoryLoad(InventorySnapshot? Snapshot, IReadOnlyList<InventoryBatch> Tail)
{
    public long Version => Tail.Count > 0 ? Tail[^1].Version : Snapshot?.Version ?? 0;
}

internal static class InventoryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // jsonb reorders object keys, so the "type" discriminator is not necessarily first when read back.
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
