namespace Shop.Grains.Inventory;

/// <summary>
/// The ledger as stored state: a snapshot holds what the log would rebuild (reservations, remembered outcomes and
/// adjustment keys), so activation reads it plus the batches after it. Snapshots written before a field existed
/// load with that field empty.
/// </summary>
internal sealed partial class InventoryLedger
{
    public InventorySnapshot ToSnapshot(long version) =>
        new(version, Total, Sold, [.. _reservations.Values], [.. _outcomeOrder], _keys.ToList(), CampaignsToSnapshot());

    public static InventoryLedger Restore(InventoryLoad load, InventoryOptions options)
    {
        var ledger = new InventoryLedger(options);
        if (load.Snapshot is { } snapshot)
        {
            ledger.Total = snapshot.Total;
            ledger.Sold = snapshot.Sold;
            ledger.RestoreCampaigns(snapshot.Campaigns ?? []);
            // In expiry order, so that they queue rather than fill the index's sorted set.
            foreach (var reservation in snapshot.Reservations.OrderBy(r => (r.ExpiresAt, r.OrderId), ExpiryIndex.ExpiryOrder.Instance))
            {
                ledger._reservations.Add(reservation.OrderId, reservation);
                ledger._expiries.Add(reservation.ExpiresAt, reservation.OrderId);
                ledger.Reserved += reservation.Quantity;
                ledger.CountReserved(reservation);
            }

            foreach (var outcome in snapshot.Outcomes)
            {
                ledger._outcomes[outcome.OrderId] = outcome;
                ledger._outcomeOrder.Enqueue(outcome);
            }

            ledger._keys.Restore(snapshot.AdjustmentKeys ?? []);
        }

        foreach (var batch in load.Tail)
        {
            foreach (var change in batch.Events)
            {
                ledger.Apply(change);
            }
        }

        return ledger;
    }
}
