namespace Shop.Grains.Inventory;

/// <summary>A campaign set <paramref name="Allotment"/> units of the available stock aside (see InventoryLedger.Campaigns.cs).</summary>
public sealed record CampaignAllotted(
    string CampaignId,
    int Allotment,
    int PerCustomerLimit,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset At) : InventoryEvent(At);

/// <summary>The campaign ended here: what it had not reserved or sold went back to the available stock.</summary>
public sealed record CampaignEnded(string CampaignId, DateTimeOffset At) : InventoryEvent(At);

/// <summary>A campaign in a snapshot; its reserved units are rebuilt from the snapshot's reservations.</summary>
public sealed record StoredCampaign(
    string CampaignId,
    long Allotment,
    long Sold,
    int PerCustomerLimit,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    bool Ended,
    IReadOnlyList<StoredCampaignCustomer> Customers);

/// <summary>Units a customer bought (paid) in a campaign; units still reserved come from the reservations.</summary>
public sealed record StoredCampaignCustomer(string UserId, long Sold);
