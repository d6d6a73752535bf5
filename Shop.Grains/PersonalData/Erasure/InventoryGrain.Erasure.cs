using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// The SKU's side of erasure (kept beside the feature). The erasure store rewrites the stored log and snapshot; memory
/// must follow, or the next snapshot (written from memory) would put the user id back for good.
/// </summary>
public sealed partial class InventoryGrain
{
    public async Task RenameCustomerAsync(string userId, string pseudonym)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(pseudonym);

        // Not loaded: storage is all there is, and the scrub that follows this call rewrites it.
        if (_ledger is null && _loading is null)
        {
            return;
        }

        // One synchronous turn, like every decision, so no reservation sees half a rename.
        (await ReadyAsync(expire: false)).RenameCustomer(userId, pseudonym);

        // Events accepted before the rename still name the user: they must be stored before the scrub runs over the log.
        await CommittedAsync();
    }
}
