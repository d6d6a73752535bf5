using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Shop.Benchmarks.Hosts;
using Shop.Benchmarks.Load;
using Shop.Client;
using Shop.Client.Campaigns;
using Shop.Client.Orders;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// Shoppers placing orders over HTTP: <c>POST /api/orders</c> with a fresh Idempotency-Key, one unit of one product,
/// each customer with a JWT of their own. Remembers every order answered 201 (for the audit); a 409 OUT_OF_STOCK ends
/// that shopper's run, anything else is a failure.
/// </summary>
public sealed class OrderPlacer
{
    private static readonly JsonSerializerOptions Json = ShopJson.CreateOptions();

    private readonly HttpClient[] _customers;
    private readonly IdSource _keys = new($"bench-{Guid.NewGuid():N}-");

    private OrderPlacer(HttpClient[] customers) => _customers = customers;

    /// <summary>Order numbers answered 201, with the product each one bought and the caller (customer) who bought it.</summary>
    public ConcurrentBag<(string OrderNo, string ProductId, int Caller)> Created { get; } = [];

    public long OutOfStock => Interlocked.Read(ref _outOfStock);

    private long _outOfStock;

    public static async Task<OrderPlacer> CreateAsync(ShopDeployment deployment, int customers)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var tokens = new List<string>();
        for (var k = 0; k < customers; k++)
        {
            tokens.Add(await deployment.Tokens.CustomerAsync($"bench-{run}-customer-{k}"));
        }

        return Create(deployment, tokens);
    }

    /// <summary>Shoppers with tokens they already have (e.g. from WeChat sign-in).</summary>
    public static OrderPlacer Create(ShopDeployment deployment, IEnumerable<string> tokens) =>
        new([.. tokens.Select(t => deployment.Http(t))]);

    /// <summary>409s of a campaign order that end the shopper's run (the allotment sold out, or their limit reached), by code.</summary>
    public ConcurrentDictionary<string, long> CampaignRefusals { get; } = new();

    /// <param name="campaignId">Buy at this campaign's price; its CAMPAIGN_SOLD_OUT or CAMPAIGN_LIMIT_REACHED ends that shopper's run.</param>
    public async Task<Outcome> PlaceAsync(int caller, string productId, string? campaignId = null)
    {
        var body = JsonSerializer.Serialize(Request(productId, campaignId), Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", _keys.Next());
        using var response = await _customers[caller % _customers.Length].SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            using var order = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            Created.Add((order.RootElement.GetProperty("orderNo").GetString()!, productId, caller));
            return Outcome.Ok;
        }

        var problem = await ShopApiProblem.ReadAsync(response);
        if (response.StatusCode == HttpStatusCode.Conflict && problem?.Code == ShopErrorCodes.OutOfStock)
        {
            Interlocked.Increment(ref _outOfStock);
            return Outcome.Finished;
        }

        if (campaignId is not null && response.StatusCode == HttpStatusCode.Conflict
            && problem?.Code is CampaignErrorCodes.CampaignSoldOut or CampaignErrorCodes.CampaignLimitReached)
        {
            CampaignRefusals.AddOrUpdate(problem.Code, 1, (_, n) => n + 1);
            return Outcome.Finished;
        }

        throw new InvalidOperationException($"POST /api/orders answered {(int)response.StatusCode} {problem?.Code} {problem?.Detail}");
    }

    public HttpClient Customer(int caller) => _customers[caller % _customers.Length];

    private static CreateOrderRequest Request(string productId, string? campaignId) => new(
        [new OrderItemRequest(productId, 1, CampaignId: campaignId)],
        new ShippingAddressRequest("张三", "13812345678", "浙江省", "杭州市", "西湖区", "文三路 100 号 3 单元 501"),
        "benchmark");
}
