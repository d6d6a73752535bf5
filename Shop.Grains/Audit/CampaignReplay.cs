using Shop.Grains.Inventory;

namespace Shop.Grains.Audit;

/// <summary>
/// The audit's replay of campaign allotments in one SKU's log: what running campaigns still hold aside (part of the
/// conservation: received = available + allotted + reserved + sold), and any campaign that took more than its allotment.
/// </summary>
internal sealed class CampaignReplay
{
    private readonly Dictionary<string, Campaign> _campaigns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _liveCampaignOf = new(StringComparer.Ordinal);

    /// <summary>Units set aside by running campaigns and not reserved or sold.</summary>
    public long Allotted => _campaigns.Values.Where(c => !c.Ended).Sum(c => c.Allotment - c.Reserved - c.Sold);

    public IEnumerable<string> Overdrawn() => _campaigns.Where(p => p.Value.Reserved + p.Value.Sold > p.Value.Allotment).Select(p => p.Key);

    public void Apply(InventoryEvent change)
    {
        switch (change)
        {
            case CampaignAllotted allotted:
                _campaigns.TryAdd(allotted.CampaignId, new Campaign { Allotment = allotted.Allotment });
                break;
            case CampaignEnded ended when _campaigns.TryGetValue(ended.CampaignId, out var campaign) && !campaign.Ended:
                campaign.Allotment = campaign.Reserved + campaign.Sold;
                campaign.Ended = true;
                break;
        }
    }

    public void Reserved(StockReserved reserved)
    {
        if (reserved.CampaignId is { } id && _campaigns.TryGetValue(id, out var campaign))
        {
            campaign.Reserved += reserved.Quantity;
            _liveCampaignOf[reserved.OrderId] = id;
        }
    }

    public void Finished(string orderId, int quantity, bool sold)
    {
        if (!_liveCampaignOf.Remove(orderId, out var id))
        {
            return;
        }

        var campaign = _campaigns[id];
        campaign.Reserved -= quantity;
        if (sold)
        {
            campaign.Sold += quantity;
        }
        else if (campaign.Ended)
        {
            campaign.Allotment -= quantity;
        }
    }

    private sealed class Campaign
    {
        public long Allotment { get; set; }

        public long Reserved { get; set; }

        public long Sold { get; set; }

        public bool Ended { get; set; }
    }
}
