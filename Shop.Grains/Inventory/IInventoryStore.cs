namespace Shop.Grains.Inventory;

/// <summary>
/// Where a SKU's stock lives. Writes are appends of one batch at the next version; the version is the fence that
/// keeps two activations of one SKU (possible for a moment while a silo dies) from both writing.
/// </summary>
public interface IInventoryStore
{
    Task<InventoryLoad> LoadAsync(string sku, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="events"/> as version <paramref name="version"/> (the last stored version + 1),
    /// atomically together with the audit rows of any adjustment among them.
    /// </summary>
    /// <exception cref="InventoryVersionConflictException">Another writer already stored that version.</exception>
    Task AppendAsync(string sku, long version, IReadOnlyList<InventoryEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="snapshot"/> unless a newer one is already stored.</summary>
    Task SaveSnapshotAsync(string sku, InventorySnapshot snapshot, CancellationToken cancellationToken = default);
}

/// <summary>Another activation stored this version first: the writer's memory is stale.</summary>
public sealed class InventoryVersionConflictException(string sku, long version)
    : Exception($"Inventory of '{sku}' already has version {version}: another activation wrote first.");
