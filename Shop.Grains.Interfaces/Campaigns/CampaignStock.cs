namespace Shop.Grains.Interfaces.Campaigns;

/// <summary>
/// What a campaign asks of one SKU's <see cref="Inventory.IInventoryGrain"/>: <see cref="Allotment"/> units taken from
/// its available stock and held for the campaign between <see cref="StartsAt"/> and <see cref="EndsAt"/>, at most
/// <see cref="PerCustomerLimit"/> units per customer (reserved and sold together).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CampaignAllotment")]
public sealed record CampaignAllotment(
    [property: Id(0)] int Allotment,
    [property: Id(1)] int PerCustomerLimit,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt);

[GenerateSerializer, Alias("Shop.Campaigns.AllotStatus")]
public enum AllotStatus
{
    Allotted,

    /// <summary>This campaign already has its allotment of the SKU (a repeat): nothing more was taken.</summary>
    AlreadyAllotted,

    /// <summary>Fewer units are available than the allotment; nothing was taken.</summary>
    Insufficient,
}

[GenerateSerializer, Immutable, Alias("Shop.Campaigns.AllotResult")]
public sealed record AllotResult(
    [property: Id(0)] AllotStatus Status,
    [property: Id(1)] long Available);

/// <summary>
/// One campaign's stock at one SKU. <see cref="Allotment"/> is what the campaign holds: while it runs, the units set
/// aside; once ended, only what its orders reserved or bought (the rest went back to the SKU's available stock).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CampaignStock")]
public sealed record CampaignStock(
    [property: Id(0)] long Allotment,
    [property: Id(1)] long Reserved,
    [property: Id(2)] long Sold,
    [property: Id(3)] long Remaining,
    [property: Id(4)] int CustomersServed,
    [property: Id(5)] bool Ended);
