namespace Shop.Grains.Interfaces.Campaigns;

/// <summary>
/// One customer's quota in one campaign of several SKUs (key <c>"{campaignId}/{userId}"</c>, see <see cref="CampaignQuota.Key"/>):
/// the units its orders hold across every SKU of the campaign, so the per-customer limit holds per campaign and not
/// per SKU. Units are held per order number (a retry of an order takes nothing more), until the order's reservation
/// would lapse unless the order is paid. A single-threaded grain: 200 parallel orders of one customer are decided one
/// after another, so exactly the limit passes. Single-SKU campaigns never use it (their SKU's ledger is the campaign).
/// </summary>
[Alias("Shop.Campaigns.ICampaignQuotaGrain")]
public interface ICampaignQuotaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Holds <paramref name="units"/> for the order until <paramref name="until"/> (replacing what the order held, which
    /// does not count against it), unless the customer's other orders hold so many that the limit would be passed.
    /// </summary>
    [Alias("Take")]
    Task<QuotaTake> TakeAsync(string orderNo, int units, DateTimeOffset until, int perCustomerLimit);

    /// <summary>The order is paid: it keeps <paramref name="units"/> of what it held for good (0 gives everything back).</summary>
    [Alias("Keep")]
    Task KeepAsync(string orderNo, int units);

    /// <summary>The order was refused, cancelled or timed out: what it held comes back, unless it was kept. Idempotent.</summary>
    [Alias("Return")]
    Task ReturnAsync(string orderNo);

    /// <summary>The units the customer's orders hold now (paid and unpaid, lapsed holds not counted).</summary>
    [Alias("Held")]
    Task<int> HeldAsync();
}

[GenerateSerializer, Immutable, Alias("Shop.Campaigns.QuotaTake")]
public sealed record QuotaTake(
    [property: Id(0)] bool Taken,
    [property: Id(1)] int Held);

public static class CampaignQuota
{
    public static string Key(string campaignId, string userId) => $"{campaignId}/{userId}";
}
