namespace Shop.Grains.Interfaces.Inventory;

/// <summary>
/// The stock of one SKU (key = product id). Every answer that reports a change is given only after the change is
/// stored in PostgreSQL; every operation keyed by an order id is idempotent, and so is an adjustment given a key.
/// </summary>
[Alias("Shop.Inventory.IInventoryGrain")]
public interface IInventoryGrain : IGrainWithStringKey
{
    /// <summary>Holds <paramref name="quantity"/> units for an order until it is paid or <paramref name="expiresAt"/> passes.</summary>
    [Alias("Reserve")]
    Task<ReserveResult> ReserveAsync(string orderId, int quantity, DateTimeOffset expiresAt);

    /// <summary>
    /// Several reservations in one call, each decided exactly as <see cref="ReserveAsync"/> would in this order and
    /// answered in the same order: what <see cref="ReservationCoalescer"/> sends for the callers of one SKU that
    /// arrive together. All of them share one write; if it fails, every one fails as a lone call would. A null answer
    /// is a new reservation that had already expired on arrival (which <see cref="ReserveAsync"/> refuses with
    /// <see cref="ArgumentOutOfRangeException"/>); it does not fail the others.
    /// </summary>
    [Alias("ReserveMany")]
    Task<ReserveResult?[]> ReserveManyAsync(ReserveRequest[] requests);

    /// <summary>Payment arrived: the reserved units become sold.</summary>
    [Alias("Confirm")]
    Task<ConfirmResult> ConfirmAsync(string orderId);

    /// <summary>Order cancelled or timed out: the reserved units become available again. Refused for a confirmed order.</summary>
    [Alias("Release")]
    Task<ReleaseResult> ReleaseAsync(string orderId);

    /// <summary>
    /// Admin restock (positive) or correction (negative), audited. Never makes available stock negative. With an
    /// <paramref name="idempotencyKey"/> (the rules of <see cref="Orders.IdempotencyKeys.IsValidKey"/>), an applied
    /// adjustment is remembered under the operator and key (24 hours, the newest 10,000 at most): a repeat with
    /// the same delta and reason answers <see cref="AdjustStatus.AlreadyAdjusted"/> with the original levels and
    /// applies nothing; one with another delta or reason answers <see cref="AdjustStatus.KeyReused"/>. A refused
    /// correction claims no key (nothing was applied), so its retry is decided afresh.
    /// </summary>
    [Alias("Adjust")]
    Task<AdjustResult> AdjustAsync(long delta, string reason, string @operator, string? idempotencyKey = null);

    /// <summary>Only the levels: what a storefront shows, cheap however many reservations are live.</summary>
    [Alias("GetLevels")]
    Task<StockLevels> GetLevelsAsync();

    /// <summary>
    /// The levels and up to <paramref name="limit"/> (1 to <see cref="ReservationPage.MaxLimit"/>) live reservations
    /// whose order id comes after <paramref name="after"/> in ordinal order (from the first when null). The cost
    /// depends on the page size, not on how many reservations are live.
    /// </summary>
    [Alias("GetReservations")]
    Task<ReservationPage> GetReservationsAsync(string? after, int limit);

    /// <summary>
    /// The levels and EVERY live reservation in one message, consistent with each other. Costs in proportion to the
    /// live reservations (100,000 in a flash sale): for tests and small SKUs; routes page with
    /// <see cref="GetReservationsAsync"/>.
    /// </summary>
    [Alias("Get")]
    Task<StockSnapshot> GetAsync();

    /// <summary>
    /// Sets <see cref="Campaigns.CampaignAllotment.Allotment"/> units of the available stock aside for a campaign; its
    /// reservations (<see cref="ReserveRequest.CampaignId"/>) draw on them, within its window and per-customer limit.
    /// </summary>
    [Alias("Allot")]
    Task<Campaigns.AllotResult> AllotAsync(string campaignId, Campaigns.CampaignAllotment allotment);

    /// <summary>
    /// Ends a campaign here (also done by itself once its end time passed): its unreserved units go back to the
    /// available stock; its live reservations follow their orders. Idempotent; null when the campaign has no allotment here.
    /// </summary>
    [Alias("EndCampaign")]
    Task<Campaigns.CampaignStock?> EndCampaignAsync(string campaignId);

    /// <summary>The campaign's figures at this SKU (ending it first if its time passed); null when it has no allotment here.</summary>
    [Alias("GetCampaign")]
    Task<Campaigns.CampaignStock?> GetCampaignAsync(string campaignId);

    /// <summary>
    /// Erasure: <paramref name="pseudonym"/> takes the place of <paramref name="userId"/> in this SKU's memory
    /// (campaign tallies, live reservations), so the next snapshot does not write the id back once the stored log and
    /// snapshot were scrubbed. Completes once every event already accepted is stored; nothing to do when not loaded.
    /// </summary>
    [Alias("RenameCustomer")]
    Task RenameCustomerAsync(string userId, string pseudonym);
}
