using Shop.Grains.Interfaces.Campaigns;

namespace Shop.Grains.Inventory;

/// <summary>
/// Campaign allotments and per-customer tallies, kept by the same events as the stock itself, so a campaign
/// reservation's limits are decided in the reservation's own turn and stored by its own write (no second round trip,
/// no second statement). <see cref="Allotted"/> is the units set aside and not yet reserved or sold by running
/// campaigns: available = total - sold - reserved - allotted. A campaign reservation released while the campaign runs
/// goes back to the allotment; released after it ended, it goes back to the general stock.
/// </summary>
internal sealed partial class InventoryLedger
{
    private readonly Dictionary<string, CampaignBucket> _campaigns = new(StringComparer.Ordinal);

    // Units each customer holds in live reservations of this SKU (every reservation that names its customer).
    private readonly Dictionary<string, long> _unpaidByUser = new(StringComparer.Ordinal);

    public long Allotted { get; private set; }

    public bool TryGetCampaign(string campaignId, out CampaignBucket campaign) => _campaigns.TryGetValue(campaignId, out campaign!);

    public long UnpaidUnitsOf(string userId) => _unpaidByUser.GetValueOrDefault(userId);

    /// <summary>Running campaigns whose end time passed (checked on every command: no allocation when there are none).</summary>
    public IReadOnlyList<string> CampaignsDueToEnd(DateTimeOffset now)
    {
        List<string>? due = null;
        foreach (var campaign in _campaigns.Values)
        {
            if (!campaign.Ended && campaign.EndsAt <= now)
            {
                (due ??= []).Add(campaign.Id);
            }
        }

        return due ?? (IReadOnlyList<string>)[];
    }

    private void ApplyCampaign(InventoryEvent change)
    {
        switch (change)
        {
            case CampaignAllotted allotted:
                if (_campaigns.ContainsKey(allotted.CampaignId))
                {
                    throw Corrupt($"campaign {allotted.CampaignId} allotted twice");
                }

                _campaigns[allotted.CampaignId] = new CampaignBucket(allotted.CampaignId, allotted.PerCustomerLimit, allotted.StartsAt, allotted.EndsAt)
                {
                    Allotment = allotted.Allotment,
                };
                Allotted += allotted.Allotment;
                break;
            case CampaignEnded ended:
                if (!_campaigns.TryGetValue(ended.CampaignId, out var campaign))
                {
                    throw Corrupt($"campaign {ended.CampaignId} ended without an allotment");
                }

                if (!campaign.Ended)
                {
                    Allotted -= campaign.Remaining;
                    campaign.Allotment = campaign.Reserved + campaign.Sold;
                    campaign.Ended = true;
                }

                break;
        }
    }

    private void CountReserved(StoredReservation reservation)
    {
        if (reservation.UserId is { } user)
        {
            _unpaidByUser[user] = _unpaidByUser.GetValueOrDefault(user) + reservation.Quantity;
        }

        if (reservation.CampaignId is { } id)
        {
            var campaign = _campaigns.TryGetValue(id, out var found) ? found : throw Corrupt($"order {reservation.OrderId} reserved from unknown campaign {id}");
            campaign.Reserved += reservation.Quantity;
            if (!campaign.Ended)
            {
                Allotted -= reservation.Quantity;
            }

            if (reservation.UserId is { } customer)
            {
                campaign.Customer(customer).Reserved += reservation.Quantity;
            }
        }
    }

    private void CountFinished(StoredReservation reservation, bool sold)
    {
        if (reservation.UserId is { } user)
        {
            var left = _unpaidByUser.GetValueOrDefault(user) - reservation.Quantity;
            if (left > 0)
            {
                _unpaidByUser[user] = left;
            }
            else
            {
                _unpaidByUser.Remove(user);
            }
        }

        if (reservation.CampaignId is not { } id || !_campaigns.TryGetValue(id, out var campaign))
        {
            return;
        }

        campaign.Reserved -= reservation.Quantity;
        if (sold)
        {
            campaign.Sold += reservation.Quantity;
        }
        else if (campaign.Ended)
        {
            // Ended: the allotment shrinks to what is held, so the released units are general stock again.
            campaign.Allotment -= reservation.Quantity;
        }
        else
        {
            Allotted += reservation.Quantity;
        }

        if (reservation.UserId is { } customer)
        {
            var tally = campaign.Customer(customer);
            tally.Reserved -= reservation.Quantity;
            if (sold)
            {
                campaign.Served += tally.Sold == 0 ? 1 : 0;
                tally.Sold += reservation.Quantity;
            }
            else if (tally.Reserved == 0 && tally.Sold == 0)
            {
                // The quota comes back whole: the customer is no longer one the campaign served.
                campaign.Forget(customer);
            }
        }
    }

    private List<StoredCampaign> CampaignsToSnapshot() =>
        [.. _campaigns.Values.Select(c => new StoredCampaign(c.Id, c.Allotment, c.Sold, c.PerCustomerLimit, c.StartsAt, c.EndsAt, c.Ended,
            [.. c.Customers.Where(p => p.Value.Sold > 0).Select(p => new StoredCampaignCustomer(p.Key, p.Value.Sold))]))];

    private void RestoreCampaigns(IReadOnlyList<StoredCampaign> campaigns)
    {
        foreach (var stored in campaigns)
        {
            var campaign = new CampaignBucket(stored.CampaignId, stored.PerCustomerLimit, stored.StartsAt, stored.EndsAt)
            {
                Allotment = stored.Allotment,
                Sold = stored.Sold,
                Ended = stored.Ended,
            };
            foreach (var customer in stored.Customers)
            {
                campaign.Customer(customer.UserId).Sold = customer.Sold;
                campaign.Served++;
            }

            _campaigns[stored.CampaignId] = campaign;
            Allotted += campaign.Remaining;
        }
    }
}

/// <summary>One campaign's allotment at one SKU, in memory.</summary>
internal sealed class CampaignBucket(string id, int perCustomerLimit, DateTimeOffset startsAt, DateTimeOffset endsAt)
{
    private readonly Dictionary<string, CustomerTally> _customers = new(StringComparer.Ordinal);

    public string Id { get; } = id;

    public int PerCustomerLimit { get; } = perCustomerLimit;

    public DateTimeOffset StartsAt { get; } = startsAt;

    public DateTimeOffset EndsAt { get; } = endsAt;

    public long Allotment { get; set; }

    public long Reserved { get; set; }

    public long Sold { get; set; }

    public bool Ended { get; set; }

    /// <summary>Customers who bought (paid for) at least one unit.</summary>
    public int Served { get; set; }

    /// <summary>Units not reserved or sold yet; none once ended (they went back to the general stock).</summary>
    public long Remaining => Ended ? 0 : Allotment - Reserved - Sold;

    public IReadOnlyDictionary<string, CustomerTally> Customers => _customers;

    /// <summary>Units the customer holds in this campaign, reserved and sold: what the per-customer limit counts.</summary>
    public long UnitsOf(string userId) => _customers.TryGetValue(userId, out var tally) ? tally.Reserved + tally.Sold : 0;

    public CustomerTally Customer(string userId)
    {
        if (!_customers.TryGetValue(userId, out var tally))
        {
            _customers[userId] = tally = new CustomerTally();
        }

        return tally;
    }

    public void Forget(string userId) => _customers.Remove(userId);

    public CampaignStock ToStock() =>
        new(Allotment, Reserved, Sold, Remaining, Served, Ended);
}

internal sealed class CustomerTally
{
    public long Reserved { get; set; }

    public long Sold { get; set; }
}
