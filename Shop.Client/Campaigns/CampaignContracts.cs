using Refit;

namespace Shop.Client.Campaigns;

/// <summary>One SKU of a campaign: its campaign price and the units set aside for the campaign (taken from available stock).</summary>
public sealed record CampaignSkuRequest(string? SkuId, long? PriceFen, int? Allotment);

/// <summary>
/// A flash-sale campaign. Times are UTC; <see cref="UnpaidTimeoutSeconds"/> (e.g. 300) replaces the default
/// payment timeout for orders with campaign lines; <see cref="PerCustomerLimit"/> counts units per customer per campaign.
/// </summary>
public sealed record CreateCampaignRequest(
    string? Name,
    IReadOnlyList<CampaignSkuRequest>? Skus,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? PerCustomerLimit,
    int? UnpaidTimeoutSeconds)
{
    public const int MaxNameLength = 100;
    public const int MaxSkus = 20;
    public const int MaxAllotment = 1_000_000;
    public const int MaxPerCustomerLimit = 999;
    public const long MaxPriceFen = 100_000_000_00;
    public const int MinUnpaidTimeoutSeconds = 1;
    public const int MaxUnpaidTimeoutSeconds = 24 * 3600;
    public const int MaxDurationDays = 90;
}

/// <summary>
/// A campaign SKU's figures: <see cref="Allotment"/> (while running, the units set aside; once ended, what its orders
/// hold), <see cref="Reserved"/> by unpaid orders, <see cref="Sold"/>, <see cref="Remaining"/> to sell, and the
/// customers who bought at least one unit.
/// </summary>
public sealed record CampaignSkuResponse(string SkuId, long PriceFen, long Allotment, long Reserved, long Sold, long Remaining, int CustomersServed);

/// <summary>
/// A campaign and its state (<see cref="Status"/>: Scheduled, Running or Ended); the totals add up its SKUs, so with
/// several SKUs <see cref="CustomersServed"/> counts a customer once per SKU bought (at most the distinct customers × SKUs).
/// </summary>
public sealed record CampaignResponse(
    string Id,
    string Name,
    string Status,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset? EndedAt,
    int PerCustomerLimit,
    int UnpaidTimeoutSeconds,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CampaignSkuResponse> Skus,
    long Sold,
    long Reserved,
    long Remaining,
    int CustomersServed);

public sealed record CampaignListResponse(IReadOnlyList<CampaignResponse> Items);

/// <summary>
/// The problem codes of campaigns and reservation hoarding (409 on <c>POST /api/orders</c> and cart checkout). Stable:
/// clients branch on them.
/// </summary>
public static class CampaignErrorCodes
{
    public const string CampaignNotFound = "CAMPAIGN_NOT_FOUND";

    /// <summary>409: the campaign has not started; the problem's <c>startsAt</c> says when it does.</summary>
    public const string CampaignNotStarted = "CAMPAIGN_NOT_STARTED";

    public const string CampaignEnded = "CAMPAIGN_ENDED";

    /// <summary>409: the campaign's allotment of the SKU is all reserved or sold.</summary>
    public const string CampaignSoldOut = "CAMPAIGN_SOLD_OUT";

    /// <summary>409: the customer already holds the campaign's per-customer limit (unpaid and paid units).</summary>
    public const string CampaignLimitReached = "CAMPAIGN_LIMIT_REACHED";

    /// <summary>409: the customer already holds <c>Hoarding:MaxUnpaidOrders</c> unpaid orders.</summary>
    public const string UnpaidOrderLimit = "UNPAID_ORDER_LIMIT";

    /// <summary>409: the customer's units of one SKU in unpaid orders would pass <c>Hoarding:MaxUnpaidUnitsPerSku</c>.</summary>
    public const string UnpaidUnitsLimit = "UNPAID_UNITS_LIMIT";
}

/// <summary>Campaign administration (admin token).</summary>
public interface ICampaignsApi
{
    /// <summary>
    /// 201 with the campaign; its allotments are taken from the SKUs' available stock at once. With an Idempotency-Key,
    /// a repeat gets the same campaign (the allotment is taken once) and another request under the key 422.
    /// </summary>
    [Post("/api/admin/campaigns")]
    Task<IApiResponse<CampaignResponse>> CreateAsync([Body] CreateCampaignRequest request,
        [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);

    [Get("/api/admin/campaigns")]
    Task<IApiResponse<CampaignListResponse>> ListAsync(CancellationToken cancellationToken = default);

    [Get("/api/admin/campaigns/{id}")]
    Task<IApiResponse<CampaignResponse>> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Ends the campaign now: unsold allotments go back to general stock.</summary>
    [Post("/api/admin/campaigns/{id}/end")]
    Task<IApiResponse<CampaignResponse>> EndAsync(string id, CancellationToken cancellationToken = default);
}

public static class CampaignsApiClient
{
    public static ICampaignsApi Create(HttpClient httpClient) =>
        RestService.For<ICampaignsApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
