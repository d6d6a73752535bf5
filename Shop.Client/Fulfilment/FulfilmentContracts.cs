using Shop.Client.Orders;

namespace Shop.Client.Fulfilment;

/// <summary>
/// Ships a paid order. <see cref="LogisticsType"/> is WeChat's: Express (1 to <see cref="MaxParcels"/> parcels,
/// together holding every line exactly; one parcel without lines holds them all), SameCity (one delivery order),
/// Virtual or Pickup (no parcel). <see cref="Partial"/> true (express only): the parcels hold part of what is left to
/// ship, every parcel naming its lines; the order stays Paid and shows them, and a later shipment sends the rest (all
/// parts together at most <see cref="MaxParcels"/> parcels). After a partial shipment, "every line" means every line left.
/// </summary>
public sealed record ShipmentRequest(string? LogisticsType, IReadOnlyList<ParcelRequest>? Parcels, bool? Partial = null)
{
    /// <summary>WeChat's split-delivery limit (一笔支付单最多分拆成 15 个包裹).</summary>
    public const int MaxParcels = 15;

    /// <summary>WeChat's limit on tracking_no and express_company (bytes; ids and numbers are ASCII).</summary>
    public const int MaxTrackingNoLength = 128;

    public static readonly IReadOnlyList<string> LogisticsTypes = ["Express", "SameCity", "Virtual", "Pickup"];
}

/// <summary>A parcel: <see cref="Courier"/> is an id from <c>GET /api/admin/couriers</c> (WeChat's delivery list); for SameCity, the delivery company's name.</summary>
public sealed record ParcelRequest(string? Courier, string? TrackingNo, IReadOnlyList<ParcelLineRequest>? Lines);

/// <summary>A quantity of one order line, named by its SKU (a product without options is its own SKU).</summary>
public sealed record ParcelLineRequest(string? SkuId, int? Quantity);

public sealed record ParcelLineResponse(string SkuId, int Quantity);

public sealed record ParcelResponse(int Number, string? Courier, string? CourierName, string? TrackingNo, IReadOnlyList<ParcelLineResponse> Lines);

/// <summary>How an order was shipped: what the customer sees.</summary>
/// <remarks><see cref="Partial"/>: parcels of a partial shipment so far, the rest still to ship (the order is Paid).</remarks>
public sealed record FulfilmentResponse(string LogisticsType, IReadOnlyList<ParcelResponse> Parcels, DateTimeOffset ShippedAt, DateTimeOffset? CorrectedAt,
    bool Partial = false);

/// <summary>Many orders in one call; each is shipped on its own and answered on its own (the call itself is 200).</summary>
public sealed record BatchShipmentRequest(IReadOnlyList<BatchShipmentItem>? Orders)
{
    public const int MaxOrders = 100;
}

public sealed record BatchShipmentItem(string? OrderNo, string? LogisticsType, IReadOnlyList<ParcelRequest>? Parcels);

/// <summary><see cref="Status"/> is the HTTP status the single-order call would have answered; <see cref="Code"/> its problem code.</summary>
public sealed record BatchShipmentResult(string OrderNo, int Status, string? Code, string? Detail, OrderResponse? Order);

public sealed record BatchShipmentResponse(IReadOnlyList<BatchShipmentResult> Results, int Shipped, int Failed);

/// <summary>
/// The upload of an order's shipping information to WeChat: <see cref="State"/> Pending (retried at
/// <see cref="NextAttemptAt"/>), Uploaded, or Failed (<see cref="ErrorCode"/> is WeChat's errcode, or HTTP /
/// NOT_CONFIGURED); an admin retries a Failed one.
/// </summary>
public sealed record ShippingUploadResponse(
    string OrderNo,
    string State,
    int Attempts,
    DateTimeOffset QueuedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? UploadedAt,
    string? ErrorCode,
    string? ErrorMessage,
    bool IsReupload);

public sealed record ShippingUploadListResponse(IReadOnlyList<ShippingUploadResponse> Items)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
}

public sealed record CourierResponse(string Id, string Name);

public sealed record CourierListResponse(string Source, IReadOnlyList<CourierResponse> Couriers);
