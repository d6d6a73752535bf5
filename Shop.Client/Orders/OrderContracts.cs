using Shop.Client.Catalog;

namespace Shop.Client.Orders;

/// <summary>
/// One line: the SKU to buy (<see cref="SkuId"/>; <see cref="ProductId"/> is accepted as an alias, and a product without
/// options is its own single SKU, so its product id works as both) and how many.
/// </summary>
/// <param name="CampaignId">Buy at this campaign's price, from its allotment (the price always comes from the campaign).</param>
public sealed record OrderItemRequest(string? ProductId, int? Quantity, string? SkuId = null, string? CampaignId = null);

/// <summary>
/// Where to ship. <see cref="RegionCode"/> (the district's GB/T 2260 code, e.g. 330106) is optional: without it the
/// province, city and district names must name a district of the national region table; with it, names may be left
/// out (the table's are used) and those given must be its names.
/// </summary>
public sealed record ShippingAddressRequest(string? Name, string? Phone, string? Province, string? City, string? District, string? Detail,
    string? RegionCode = null);

/// <summary>The lines and where to ship them: an inline <see cref="ShippingAddress"/> or a saved one (<see cref="AddressId"/>, /api/me/addresses).</summary>
public sealed record CreateOrderRequest(IReadOnlyList<OrderItemRequest>? Items, ShippingAddressRequest? ShippingAddress, string? Remark,
    string? AddressId = null)
{
    public const int MaxLines = 50;
    public const int MaxQuantity = 999;
    public const int MaxRemarkLength = 200;
    public const int MaxNameLength = 50;
    public const int MaxRegionLength = 50;
    public const int MaxDetailLength = 200;

    /// <summary>A mainland China mobile number.</summary>
    public const string PhonePattern = @"^1[3-9]\d{9}$";
}

public sealed record ShipOrderRequest(string? Carrier, string? TrackingNo)
{
    public const int MaxLength = 64;
}

/// <summary>
/// A line as sold: the SKU, its product, name, spec (e.g. 颜色 = 白; empty without options) and unit price at the time
/// of the order. <see cref="SpecText"/> is the spec as one string, "颜色:白;尺码:L".
/// </summary>
/// <param name="CampaignId">The campaign the line was bought in, at its price (null: the catalog price).</param>
public sealed record OrderLineResponse(string ProductId, string Name, long UnitPriceFen, int Quantity, long SubtotalFen,
    string SkuId, IReadOnlyList<SpecValueResponse> Spec, string SpecText, string? CampaignId = null);

public sealed record ShippingAddressResponse(string Name, string Phone, string Province, string City, string District, string Detail,
    string? RegionCode = null);

public sealed record OrderHistoryResponse(DateTimeOffset At, string Actor, string Trigger, string From, string To, string? Reason);

public sealed record ShipmentResponse(string Carrier, string TrackingNo, DateTimeOffset ShippedAt);

/// <summary>
/// An order as its owner or an admin sees it; <see cref="Status"/> is one of <see cref="OrderStatuses"/>.
/// <see cref="RefundedFen"/> is what WeChat Pay has refunded (successful refunds only). <see cref="TotalFen"/> is what the
/// customer pays: <see cref="GoodsFen"/> (the lines) plus <see cref="ShippingFeeFen"/>.
/// </summary>
public sealed record OrderResponse(
    string OrderNo,
    string Status,
    IReadOnlyList<OrderLineResponse> Lines,
    long TotalFen,
    ShippingAddressResponse ShippingAddress,
    string? Remark,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PaidAt,
    ShipmentResponse? Shipment,
    IReadOnlyList<OrderHistoryResponse> History,
    long RefundedFen,
    IReadOnlyList<OrderRefundResponse> Refunds,
    Fulfilment.FulfilmentResponse? Fulfilment = null,
    long GoodsFen = 0,
    long ShippingFeeFen = 0);

public sealed record OrderSummaryResponse(string OrderNo, string Status, long TotalFen, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record OrderListResponse(IReadOnlyList<OrderSummaryResponse> Items, int Page, int Size, long Total)
{
    public const int DefaultSize = 20;
    public const int MaxSize = 100;
    public const int MaxPage = 10_000;
}

public static class OrderStatuses
{
    public const string PendingPayment = "PendingPayment";
    public const string Paid = "Paid";
    public const string Shipped = "Shipped";
    public const string Completed = "Completed";
    public const string Cancelled = "Cancelled";
    public const string Refunding = "Refunding";
    public const string Refunded = "Refunded";
}
