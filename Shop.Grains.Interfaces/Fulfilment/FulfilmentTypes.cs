using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.Fulfilment;

/// <summary>WeChat's logistics_type: how the goods reach the customer (the numbers are WeChat's).</summary>
[GenerateSerializer, Alias("Shop.Fulfilment.LogisticsType")]
public enum LogisticsType
{
    /// <summary>实体物流: by a courier company, with tracking numbers; the only type that may be split into parcels.</summary>
    Express = 1,

    /// <summary>同城配送: local delivery, one "parcel" naming the delivery company and its order number.</summary>
    SameCity = 2,

    /// <summary>虚拟商品: nothing is carried (top-ups, codes).</summary>
    Virtual = 3,

    /// <summary>用户自提: the customer collects the goods.</summary>
    Pickup = 4,
}

/// <summary>How many of one order line (named by its SKU) a parcel holds.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.ParcelLine")]
public sealed record ParcelLine([property: Id(0)] string SkuId, [property: Id(1)] int Quantity);

/// <summary>One parcel as the merchant describes it: courier id from WeChat's list, tracking number, contents.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.ParcelSpec")]
public sealed record ParcelSpec(
    [property: Id(0)] string? Courier,
    [property: Id(1)] string? TrackingNo,
    [property: Id(2)] IReadOnlyList<ParcelLine> Lines);

/// <summary>
/// A shipment of what is left of a paid order: express in 1..15 parcels (all parts together) that together hold every
/// line not yet shipped exactly; same-city in one parcel; virtual and pickup with no parcel. Lines left empty in a
/// single parcel mean "every line left". <see cref="Partial"/>: express parcels holding only part of what is left; the
/// rest follows in later shipments (WeChat's split delivery with is_all_delivered false).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.ShipCommand")]
public sealed record ShipCommand(
    [property: Id(0)] LogisticsType LogisticsType,
    [property: Id(1)] IReadOnlyList<ParcelSpec> Parcels,
    [property: Id(110)] bool Partial = false);

[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.Parcel")]
public sealed record Parcel(
    [property: Id(0)] int Number,
    [property: Id(1)] string? Courier,
    [property: Id(2)] string? TrackingNo,
    [property: Id(3)] IReadOnlyList<ParcelLine> Lines);

[GenerateSerializer, Alias("Shop.Fulfilment.ShippingUploadState")]
public enum ShippingUploadState
{
    /// <summary>To be sent (or sent again after a transient failure) at <see cref="ShippingUpload.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>WeChat has it.</summary>
    Uploaded,

    /// <summary>WeChat refused it, or every retry failed: an admin must look (and may retry).</summary>
    Failed,
}

/// <summary>
/// The upload of the shipping information to WeChat (upload_shipping_info). <see cref="UploadTime"/> is fixed when the
/// upload is queued, so every retry sends the identical request (WeChat answers 10060023 to a repeat it already has).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.ShippingUpload")]
public sealed record ShippingUpload(
    [property: Id(0)] ShippingUploadState State,
    [property: Id(1)] int Attempts,
    [property: Id(2)] DateTimeOffset QueuedAt,
    [property: Id(3)] DateTimeOffset UploadTime,
    [property: Id(4)] DateTimeOffset? NextAttemptAt,
    [property: Id(5)] DateTimeOffset? UploadedAt,
    [property: Id(6)] string? ErrorCode,
    [property: Id(7)] string? ErrorMessage,
    [property: Id(8)] bool IsReupload);

/// <summary>
/// How an order was fulfilled: its parcels, and (when WeChat shipping information applies) its upload.
/// <see cref="Partial"/>: parcels of a partial shipment, more to come (the order is still Paid).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.OrderFulfilment")]
public sealed record OrderFulfilment(
    [property: Id(0)] LogisticsType LogisticsType,
    [property: Id(1)] IReadOnlyList<Parcel> Parcels,
    [property: Id(2)] DateTimeOffset ShippedAt,
    [property: Id(3)] DateTimeOffset? CorrectedAt,
    [property: Id(4)] ShippingUpload? Upload,
    [property: Id(5)] bool ReuploadUsed,
    [property: Id(110)] bool Partial = false)
{
    /// <summary>WeChat's split-delivery limit (一笔支付单最多分拆成 15 个包裹).</summary>
    public const int MaxParcels = 15;
}

[GenerateSerializer, Alias("Shop.Fulfilment.ShipStatus")]
public enum ShipStatus
{
    Ok,
    NotFound,
    InvalidTransition,

    /// <summary>The parcels do not hold exactly the order's lines.</summary>
    LinesMismatch,

    /// <summary>The order's one correction (WeChat's one re-upload) was used.</summary>
    ReuploadUsed,

    /// <summary>There is no failed upload to retry (none, pending, or done).</summary>
    NothingToRetry,
}

[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.ShipOutcome")]
public sealed record ShipOutcome(
    [property: Id(0)] ShipStatus Status,
    [property: Id(1)] OrderView? Order = null,
    [property: Id(2)] string? Detail = null);
