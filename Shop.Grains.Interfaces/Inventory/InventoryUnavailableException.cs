namespace Shop.Grains.Interfaces.Inventory;

/// <summary>
/// The inventory could not store a change, so the operation's outcome was not confirmed and nothing it decided is
/// kept in memory. Safe to retry with the same order id: operations are idempotent. The cause stays in the silo's log (it is not
/// sent to callers, who may not know its type).
/// </summary>
[GenerateSerializer, Alias("Shop.Inventory.InventoryUnavailableException")]
public sealed class InventoryUnavailableException : Exception
{
    public InventoryUnavailableException(string message)
        : base(message)
    {
    }
}
