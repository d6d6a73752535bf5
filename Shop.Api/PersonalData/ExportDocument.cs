using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Cart;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Interfaces.Shipping;

namespace Shop.Api.PersonalData;

/// <summary>
/// The parts of a personal-data export (Shop.Api/PersonalData/personal-data-export.schema.json describes the whole
/// document). Everything Shop holds about a customer, decrypted; never tokens, keys, signatures, idempotency keys or
/// WeChat Pay prepay ids.
/// </summary>
public static class ExportDocument
{
    public const string Format = "shop.personal-data-export";
    public const int Version = 1;

    /// <summary>Nulls are written (the schema names every field), Chinese text stays readable in the file.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static ExportSubject Subject(string userId) => userId.StartsWith(Payments.WeChatPayEndpoints.WeChatSubjectPrefix, StringComparison.Ordinal)
        ? new ExportSubject(userId, "wechat-mini-program", userId[Payments.WeChatPayEndpoints.WeChatSubjectPrefix.Length..])
        : new ExportSubject(userId, "token", null);

    public static ExportCart Cart(CartView cart) =>
        new([.. cart.Lines.Select(l => new ExportCartLine(l.SkuId, l.ProductId, l.Name, l.Quantity, l.AddedAt))]);

    /// <summary>The address book, decrypted, the default first.</summary>
    public static IReadOnlyList<ExportAddress> Addresses(IReadOnlyList<SavedAddress> addresses) =>
        [.. addresses.Select(a => new ExportAddress(a.Id, a.Address.Name, a.Address.Phone, a.Address.Province, a.Address.City, a.Address.District,
            a.Address.Detail, a.Address.RegionCode, a.IsDefault, a.CreatedAt, a.UpdatedAt))];

    /// <summary>What a rejected order is called in the export: it never became one, so no order status fits.</summary>
    public const string RejectedStatus = "Rejected";

    public static ExportOrder Order(OrderView o, bool rejected = false, IReadOnlyList<AutomaticRefund>? automaticRefunds = null) => new(
        o.OrderNo, rejected ? RejectedStatus : o.Status.ToString(), o.CreatedAt, o.UpdatedAt, o.TotalFen, o.ShippingFeeFen, o.RefundedFen,
        new ExportShipping(o.Shipping.Name, o.Shipping.Phone, o.Shipping.Province, o.Shipping.City, o.Shipping.District, o.Shipping.Detail),
        o.Remark,
        [.. o.Lines.Select(l => new ExportOrderLine(l.ProductId, l.Sku, l.Name, [.. (l.Spec ?? []).Select(s => new ExportSpec(s.Name, s.Value))],
            l.UnitPriceFen, l.Quantity, l.CampaignId))],
        [.. o.History.Select(h => new ExportHistory(h.At, h.Actor, h.Trigger.ToString(), h.From.ToString(), h.To.ToString(), h.Reason))],
        [.. o.Payments.Select(p => new ExportPayment(p.TransactionId, p.AmountFen, p.PaidAt, p.NeedsRefund))],
        [.. o.Refunds.Select(r => new ExportRefund(r.OutRefundNo, r.RefundId, r.AmountFen, r.Reason, r.Status, r.RequestedAt, r.UpdatedAt))],
        Parcels(o),
        [.. (automaticRefunds ?? []).Select(r => new ExportAutomaticRefund(r.OutRefundNo, r.TransactionId, r.AmountFen, r.Status, r.RequestedAt))]);

    /// <summary>Units each campaign sold (or holds) to the customer: what counts against its per-customer limit.</summary>
    public static void CountCampaignUnits(OrderView order, bool rejected, SortedDictionary<(string Campaign, string Sku), long> units)
    {
        if (rejected || order.Status is OrderStatus.Cancelled)
        {
            return; // a rejected order never held units; a cancelled one gave them back
        }

        foreach (var line in order.Lines.Where(l => l.CampaignId is not null))
        {
            var key = (line.CampaignId!, line.Sku);
            units[key] = units.GetValueOrDefault(key) + line.Quantity;
        }
    }

    public static ExportAfterSales AfterSales(AfterSalesRequest r) => new(
        r.RequestId, r.OrderNo, r.Kind.ToString(), r.Status.ToString(), r.AmountFen, r.Reason, r.Note, r.PhotoUrls, r.CreatedAt, r.UpdatedAt,
        [.. r.Lines.Select(l => new ExportAfterSalesLine(l.LineNo, l.Sku, l.Name, l.Quantity, l.AmountFen))],
        r.ReturnShipment is { } s ? new ExportReturnShipment(s.Carrier, s.TrackingNo, s.SubmittedAt) : null,
        [.. r.History.Select(h => new ExportHistory(h.At, h.Actor, h.Trigger.ToString(), h.From?.ToString(), h.To.ToString(), h.Reason))]);

    private static IReadOnlyList<ExportParcel> Parcels(OrderView o) => o.Fulfilment is { } f
        ? [.. f.Parcels.Select(p => new ExportParcel(p.Number, p.Courier, p.TrackingNo, f.ShippedAt, [.. p.Lines.Select(l => new ExportParcelLine(l.SkuId, l.Quantity))]))]
        : o.Shipment is { } s
            ? [new ExportParcel(1, s.Carrier, s.TrackingNo, s.ShippedAt, [.. o.Lines.Select(l => new ExportParcelLine(l.Sku, l.Quantity))])]
            : [];
}

public sealed record ExportSubject(string UserId, string LoginKind, string? WeChatOpenId);

public sealed record ExportCart(IReadOnlyList<ExportCartLine> Lines);

public sealed record ExportCartLine(string SkuId, string? ProductId, string? Name, int Quantity, DateTimeOffset AddedAt);

public sealed record ExportAddress(string Id, string Name, string Phone, string Province, string City, string District, string Detail,
    string? RegionCode, bool IsDefault, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary><see cref="Status"/>: an order status, or <see cref="ExportDocument.RejectedStatus"/>.</summary>
public sealed record ExportOrder(
    string OrderNo, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long TotalFen, long ShippingFeeFen, long RefundedFen,
    ExportShipping Shipping, string? Remark, IReadOnlyList<ExportOrderLine> Lines, IReadOnlyList<ExportHistory> History,
    IReadOnlyList<ExportPayment> Payments, IReadOnlyList<ExportRefund> Refunds, IReadOnlyList<ExportParcel> Parcels,
    IReadOnlyList<ExportAutomaticRefund> AutomaticRefunds);

/// <summary>A payment that arrived after the order closed, sent back to the customer without anyone asking.</summary>
public sealed record ExportAutomaticRefund(string OutRefundNo, string TransactionId, long AmountFen, string Status, DateTimeOffset RequestedAt);

public sealed record ExportShipping(string Name, string Phone, string Province, string City, string District, string Detail);

public sealed record ExportOrderLine(string ProductId, string SkuId, string Name, IReadOnlyList<ExportSpec> Spec, long UnitPriceFen, int Quantity, string? CampaignId);

public sealed record ExportSpec(string Name, string Value);

public sealed record ExportHistory(DateTimeOffset At, string Actor, string Trigger, string? From, string To, string? Reason);

public sealed record ExportPayment(string TransactionId, long AmountFen, DateTimeOffset PaidAt, bool NeedsRefund);

public sealed record ExportRefund(string OutRefundNo, string? RefundId, long AmountFen, string Reason, string Status, DateTimeOffset RequestedAt, DateTimeOffset UpdatedAt);

public sealed record ExportParcel(int Number, string? Courier, string? TrackingNo, DateTimeOffset ShippedAt, IReadOnlyList<ExportParcelLine> Lines);

public sealed record ExportParcelLine(string SkuId, int Quantity);

public sealed record ExportCampaignUnits(string CampaignId, string SkuId, long Units);

public sealed record ExportAfterSales(
    string RequestId, string OrderNo, string Kind, string Status, long AmountFen, string Reason, string? Note, IReadOnlyList<string> PhotoUrls,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ExportAfterSalesLine> Lines, ExportReturnShipment? ReturnShipment,
    IReadOnlyList<ExportHistory> History);

public sealed record ExportAfterSalesLine(int LineNo, string SkuId, string Name, int Quantity, long AmountFen);

public sealed record ExportReturnShipment(string Carrier, string TrackingNo, DateTimeOffset SubmittedAt);

/// <summary>The whole document, for the OpenAPI description and for clients that read it back (the API writes it piecewise).</summary>
public sealed record PersonalDataExport(
    string Format, int Version, DateTimeOffset GeneratedAt, ExportSubject Subject, ExportCart Cart, IReadOnlyList<ExportAddress> Addresses, IReadOnlyList<ExportOrder> Orders,
    IReadOnlyList<ExportCampaignUnits> CampaignQuotas, IReadOnlyList<ExportAfterSales> AfterSalesRequests, ExportTotals Totals);

public sealed record ExportTotals(long Orders, long AfterSalesRequests);
