namespace Shop.Grains.Interfaces.Campaigns;

/// <summary>
/// One flash-sale campaign (key = its id, <see cref="CampaignId"/>): its definition, and the allotment it holds in
/// each of its SKUs' inventory grains. The limits themselves are enforced by the inventory grains, atomically with each
/// reservation, and, for a campaign of several SKUs, the per-customer limit across them by <see cref="ICampaignQuotaGrain"/>;
/// this grain only answers the terms (price, window, unpaid timeout, limit) an order needs, and ends the campaign on
/// time (a durable reminder) or on an admin's request.
/// </summary>
[Alias("Shop.Campaigns.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Takes every SKU's allotment, all or nothing; a repeat for an existing campaign answers it unchanged.</summary>
    [Alias("Create")]
    Task<CreateCampaignResult> CreateAsync(CampaignDefinition definition);

    /// <summary>The terms an order reads on the hot path (cheap: memory only); null when there is no such campaign.</summary>
    [Alias("GetTerms")]
    Task<CampaignTerms?> GetTermsAsync();

    /// <summary>The definition with live figures from every SKU; null when there is no such campaign.</summary>
    [Alias("Get")]
    Task<CampaignView?> GetAsync();

    /// <summary>Ends the campaign now: unsold allotments go back to general stock. Idempotent.</summary>
    [Alias("End")]
    Task<CampaignView?> EndAsync(string @operator);
}

/// <summary>Every campaign id, newest first (one grain, key 0: campaigns are few, made by admins).</summary>
[Alias("Shop.Campaigns.ICampaignDirectoryGrain")]
public interface ICampaignDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string campaignId);

    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}

public static class CampaignId
{
    public const string Prefix = "cp";

    public static string New() => Ids.RandomId.New(Prefix);

    /// <summary>
    /// The id of the campaign an admin creates under an Idempotency-Key: the first 16 bytes of the key's scoped hash
    /// (<see cref="Orders.IdempotencyKeys.GrainKey"/>, admin and key), so a repeated create reaches the same grain and
    /// gets the same campaign instead of taking a second allotment. Not guessable without the admin's key.
    /// </summary>
    public static string ForKey(string admin, string key)
    {
        var hash = Convert.FromHexString(Orders.IdempotencyKeys.GrainKey(admin, "campaign:" + key)["v2:".Length..]);
        return Prefix + Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool IsValid(string? id) => Ids.RandomId.IsValid(id, Prefix);
}

[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CampaignSku")]
public sealed record CampaignSku(
    [property: Id(0)] string SkuId,
    [property: Id(1)] long PriceFen,
    [property: Id(2)] int Allotment);

[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CampaignDefinition")]
public sealed record CampaignDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<CampaignSku> Skus,
    [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt,
    [property: Id(4)] int PerCustomerLimit,
    [property: Id(5)] TimeSpan UnpaidTimeout,
    [property: Id(6)] string CreatedBy)
{
    /// <summary>Same request (a repeat under one Idempotency-Key): every field, the SKUs in order.</summary>
    public bool SameAs(CampaignDefinition other) =>
        Name == other.Name && Skus.SequenceEqual(other.Skus) && StartsAt == other.StartsAt && EndsAt == other.EndsAt &&
        PerCustomerLimit == other.PerCustomerLimit && UnpaidTimeout == other.UnpaidTimeout && CreatedBy == other.CreatedBy;
}

/// <summary>
/// What an order needs from a campaign: the price per SKU, the window, how long its orders stay unpaid, and the
/// per-customer limit, which a campaign of several SKUs enforces across them (<see cref="ICampaignQuotaGrain"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CampaignTerms")]
public sealed record CampaignTerms(
    [property: Id(0)] IReadOnlyDictionary<string, long> PriceFen,
    [property: Id(1)] DateTimeOffset StartsAt,
    [property: Id(2)] DateTimeOffset EndsAt,
    [property: Id(3)] TimeSpan UnpaidTimeout,
    [property: Id(4)] bool Ended,
    [property: Id(5)] int PerCustomerLimit = 0)
{
    /// <summary>
    /// Several SKUs: the customer's quota is taken from the campaign's quota grain before any reservation. One SKU: its
    /// inventory grain's ledger is the whole campaign, and checks the limit inside the reservation (no extra call).
    /// </summary>
    public bool QuotaAcrossSkus => PriceFen.Count > 1 && PerCustomerLimit > 0;
}

[GenerateSerializer, Alias("Shop.Campaigns.CampaignStatus")]
public enum CampaignStatus
{
    Scheduled,
    Running,
    Ended,
}

[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CampaignSkuView")]
public sealed record CampaignSkuView(
    [property: Id(0)] string SkuId,
    [property: Id(1)] long PriceFen,
    [property: Id(2)] CampaignStock Stock);

[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CampaignView")]
public sealed record CampaignView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] CampaignStatus Status,
    [property: Id(3)] DateTimeOffset StartsAt,
    [property: Id(4)] DateTimeOffset EndsAt,
    [property: Id(5)] DateTimeOffset? EndedAt,
    [property: Id(6)] int PerCustomerLimit,
    [property: Id(7)] TimeSpan UnpaidTimeout,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] IReadOnlyList<CampaignSkuView> Skus);

[GenerateSerializer, Alias("Shop.Campaigns.CreateCampaignStatus")]
public enum CreateCampaignStatus
{
    Created,

    /// <summary>A SKU had fewer units available than its allotment: nothing was taken from any SKU.</summary>
    InsufficientStock,

    /// <summary>The campaign exists with another definition: its Idempotency-Key was used for another request.</summary>
    KeyReused,
}

[GenerateSerializer, Immutable, Alias("Shop.Campaigns.CreateCampaignResult")]
public sealed record CreateCampaignResult(
    [property: Id(0)] CreateCampaignStatus Status,
    [property: Id(1)] CampaignView? Campaign,
    [property: Id(2)] string? ShortSku = null,
    [property: Id(3)] long ShortAvailable = 0);

/// <summary>
/// A customer's unpaid orders (key = the user id): how many are held at a time is limited (reservation hoarding). Kept
/// in memory, loaded from the orders table once per activation, so admitting an order costs no statement.
/// </summary>
[Alias("Shop.Campaigns.IUnpaidOrdersGrain")]
public interface IUnpaidOrdersGrain : IGrainWithStringKey
{
    /// <summary>True when the order may be held (it counts until <paramref name="until"/> or its release); a repeat is admitted again.</summary>
    [Alias("Admit")]
    Task<bool> AdmitAsync(string orderNo, DateTimeOffset until);

    /// <summary>The order is paid, closed or refused: it no longer counts.</summary>
    [Alias("Release"), Orleans.Concurrency.OneWay]
    Task ReleaseAsync(string orderNo);
}
