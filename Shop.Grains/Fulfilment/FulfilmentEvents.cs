using Shop.Grains.Interfaces.Fulfilment;

namespace Shop.Grains.Orders;

/// <summary>Some of a paid order's units left in <c>Parcels</c> (this part's); the rest follows, the order stays Paid.</summary>
public sealed record OrderPartlyShipped(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, IReadOnlyList<Parcel> Parcels)
    : OrderEvent(EventId, OrderNo, OccurredAt);

/// <summary>
/// A shipped order's parcels were replaced (a wrong tracking number, courier or contents): what was recorded before and
/// what is recorded now, uploaded to WeChat as the payment's one re-upload.
/// </summary>
public sealed record OrderShipmentCorrected(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string LogisticsType,
    IReadOnlyList<Parcel> Before, IReadOnlyList<Parcel> After) : OrderEvent(EventId, OrderNo, OccurredAt);
