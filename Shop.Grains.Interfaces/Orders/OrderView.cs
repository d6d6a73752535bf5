using System.Text.Json.Serialization;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// One line as sold: the product, the SKU and its spec, name and unit price as they were when the order was made.
/// Lines stored before variants have no <see cref="SkuId"/>: their product id is their SKU.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderLine")]
public sealed record OrderLine(
    [property: Id(0)] string ProductId,
    [property: Id(1)] string Name,
    [property: Id(2)] long UnitPriceFen,
    [property: Id(3)] int Quantity,
    [property: Id(20)] string? SkuId = null,
    [property: Id(21)] IReadOnlyList<SpecValue>? Spec = null,
    [property: Id(30)] string? CampaignId = null)
{
    public long SubtotalFen => UnitPriceFen * Quantity;

    [JsonIgnore]
    public string Sku => SkuId ?? ProductId;
}

[GenerateSerializer, Immutable, Alias("Shop.Orders.Shipment")]
public sealed record Shipment(
    [property: Id(0)] string Carrier,
    [property: Id(1)] string TrackingNo,
    [property: Id(2)] DateTimeOffset ShippedAt);

[GenerateSerializer, Immutable, Alias("Shop.Orders.PaymentRecord")]
public sealed record PaymentRecord(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] long AmountFen,
    [property: Id(2)] DateTimeOffset PaidAt,
    [property: Id(3)] bool NeedsRefund);

/// <summary>An order as the owner or an admin sees it: the shipping address decrypted.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderView")]
public sealed record OrderView(
    [property: Id(0)] string OrderNo,
    [property: Id(1)] string UserId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] IReadOnlyList<OrderLine> Lines,
    [property: Id(4)] long TotalFen,
    [property: Id(5)] ShippingAddress Shipping,
    [property: Id(6)] string? Remark,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset ExpiresAt,
    [property: Id(9)] DateTimeOffset UpdatedAt,
    [property: Id(10)] IReadOnlyList<OrderHistoryEntry> History,
    [property: Id(11)] IReadOnlyList<PaymentRecord> Payments,
    [property: Id(12)] Shipment? Shipment,
    [property: Id(13)] IReadOnlyList<string> StockShortfall,
    [property: Id(14)] IReadOnlyList<OrderRefund> Refunds,
    [property: Id(40)] Fulfilment.OrderFulfilment? Fulfilment = null,
    [property: Id(100)] long ShippingFeeFen = 0)
{
    /// <summary>The lines' amount: the total without the shipping fee.</summary>
    public long GoodsFen => TotalFen - ShippingFeeFen;

    /// <summary>What WeChat Pay has refunded (successful refunds only).</summary>
    public long RefundedFen => Refunds.Where(r => r.Status == RefundStates.Success).Sum(r => r.AmountFen);
}

/// <summary>A row of an order list (no personal data).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderSummary")]
public sealed record OrderSummary(
    [property: Id(0)] string OrderNo,
    [property: Id(1)] string UserId,
    [property: Id(2)] OrderStatus Status,
    [property: Id(3)] long TotalFen,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderListQuery")]
public sealed record OrderListQuery(
    [property: Id(0)] string? UserId,
    [property: Id(1)] OrderStatus? Status,
    [property: Id(2)] int Page,
    [property: Id(3)] int Size);

[GenerateSerializer, Immutable, Alias("Shop.Orders.OrderListPage")]
public sealed record OrderListPage(
    [property: Id(0)] IReadOnlyList<OrderSummary> Items,
    [property: Id(1)] long Total);

/// <summary>Reads order lists from the orders table (stateless: any silo answers).</summary>
[Alias("Shop.Orders.IOrderQueryGrain")]
public interface IOrderQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Orders newest first; <see cref="OrderListQuery.UserId"/> null = every user's (admin).</summary>
    [Alias("List")]
    Task<OrderListPage> ListAsync(OrderListQuery query);
}
