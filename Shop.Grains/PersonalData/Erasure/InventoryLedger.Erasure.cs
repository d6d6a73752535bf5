namespace Shop.Grains.Inventory;

/// <summary>
/// Erasure in the ledger: the same rename the erasure store applies to the stored events (every whole JSON value equal to
/// the user id becomes the pseudonym), so memory stays what replaying the scrubbed log would build.
/// </summary>
internal sealed partial class InventoryLedger
{
    public void RenameCustomer(string userId, string pseudonym)
    {
        foreach (var (orderId, reservation) in _reservations.Where(r => r.Value.UserId == userId).ToList())
        {
            _reservations[orderId] = reservation with { UserId = pseudonym };
        }

        if (_unpaidByUser.Remove(userId, out var units))
        {
            _unpaidByUser[pseudonym] = _unpaidByUser.GetValueOrDefault(pseudonym) + units;
        }

        // Ended campaigns too: their tallies are in every snapshot for as long as the SKU lives.
        foreach (var campaign in _campaigns.Values)
        {
            if (campaign.Customers.TryGetValue(userId, out var tally))
            {
                var renamed = campaign.Customer(pseudonym);
                renamed.Reserved += tally.Reserved;
                renamed.Sold += tally.Sold;
                campaign.Forget(userId);
            }
        }
    }
}
