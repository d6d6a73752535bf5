namespace Shop.Grains.Interfaces.Inventory;

/// <summary>
/// The stock of one SKU (key = product id). Every answer that reports a change is given only after the change is
/// stored in PostgreSQL; every operation keyed by an order id is idempotent.
/// </summary>
[Alias("Shop.Inventory.IInventoryGrain")]
public interface IInventoryGrain : IGrainWithStringKey
{
    /// <summary>Holds <paramref name="quantity"/> units for an order until it is paid or <paramref name="expiresAt"/> passes.</summary>
    [Alias("Reserve")]
    Task<ReserveResult> ReserveAsync(string orderId, int quantity, DateTimeOffset expiresAt);

    /// <summary>Payment arrived: the reserved units become sold.</summary>
    [Alias("Confirm")]
    Task<ConfirmResult> ConfirmAsync(string orderId);

    /// <summary>Order cancelled or timed out: the reserved units become available again. Refused for a confirmed order.</summary>
    [Alias("Release")]
    Task<ReleaseResult> ReleaseAsync(string orderId);

    /// <summary>Admin restock (positive) or correction (negative), audited. Never makes available stock negative.</summary>
    [Alias("Adjust")]
    Task<AdjustResult> AdjustAsync(long delta, string reason, string @operator);

    /// <summary>Only the levels: what a storefront shows, cheap however many reservations are live.</summary>
    [Alias("GetLevels")]
    Task<StockLevels> GetLevelsAsync();

    /// <summary>The current levels and live reservations (only what is already stored).</summary>
    [Alias("Get")]
    Task<StockSnapshot> GetAsync();
}
