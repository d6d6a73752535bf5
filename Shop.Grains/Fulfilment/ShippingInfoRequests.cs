using System.Globalization;
using System.Text;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Interfaces.Orders;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Grains.Fulfilment;

/// <summary>
/// Builds upload_shipping_info as WeChat requires it: the order by mchid + out_trade_no (order_number_type 1),
/// split delivery (delivery_mode 2, is_all_delivered) only for several express parcels, item_desc within 120
/// characters, the receiver's phone masked except its last 4 digits (required for SF, sent for every courier), the
/// payer's openid and an RFC 3339 upload_time in China time.
/// </summary>
public static class ShippingInfoRequests
{
    public const int MaxItemDescLength = 120;

    /// <summary>The token subject of a mini-program user is "wx:" + openid (Shop.Api/Auth/WeChatLoginEndpoints.cs).</summary>
    public const string WeChatSubjectPrefix = "wx:";

    public static string? OpenIdOf(string userId) =>
        userId.StartsWith(WeChatSubjectPrefix, StringComparison.Ordinal) && userId.Length > WeChatSubjectPrefix.Length ? userId[WeChatSubjectPrefix.Length..] : null;

    public static UploadShippingInfoRequest Build(string mchId, string orderNo, string openId, OrderFulfilment fulfilment,
        IReadOnlyList<OrderLine> lines, string receiverPhone, DateTimeOffset uploadTime, IReadOnlyList<OrderLine>? toSend = null)
    {
        // A partial shipment is split delivery even with one parcel so far; its last part says all is delivered.
        var split = fulfilment.Parcels.Count > 1 || fulfilment.Partial;
        var masked = PersonalDataMask.Phone(receiverPhone);
        IReadOnlyList<ShippingListItem> list = fulfilment.LogisticsType is LogisticsType.Virtual or LogisticsType.Pickup
            ? [new ShippingListItem(null, null, ItemDesc((toSend ?? lines).Select(l => new ParcelLine(l.Sku, l.Quantity)), lines), null)]
            : [.. fulfilment.Parcels.Select(p => new ShippingListItem(p.TrackingNo, p.Courier, ItemDesc(p.Lines, lines), new ShippingContact(null, masked)))];
        return new UploadShippingInfoRequest(
            new ShippingOrderKey(1, mchId, orderNo),
            (int)fulfilment.LogisticsType,
            split ? 2 : 1,
            split ? !fulfilment.Partial : null,
            list,
            Rfc3339(uploadTime),
            new ShippingPayer(openId));
    }

    /// <summary>
    /// "龙井 250 g*2;T恤 白/L*1" (name, the SKU's spec values, quantity), cut to 120 characters (never inside a surrogate
    /// pair) with "…" when longer.
    /// </summary>
    public static string ItemDesc(IEnumerable<ParcelLine> parcelLines, IReadOnlyList<OrderLine> orderLines)
    {
        var text = string.Join(';', parcelLines.Select(p =>
            Label(orderLines.FirstOrDefault(l => l.Sku == p.SkuId), p.SkuId) + "*" + p.Quantity.ToString(CultureInfo.InvariantCulture)));
        if (text.Length <= MaxItemDescLength)
        {
            return text;
        }

        var cut = MaxItemDescLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return new StringBuilder(text, 0, cut, MaxItemDescLength).Append('…').ToString();
    }

    private static string Label(OrderLine? line, string skuId) => line is null
        ? skuId
        : line.Spec is { Count: > 0 } spec ? $"{line.Name.Trim()} {string.Join('/', spec.Select(v => v.Value.Trim()))}" : line.Name.Trim();

    /// <summary>2026-12-06T17:05:00.120+08:00: WeChat's example format (China time, milliseconds).</summary>
    public static string Rfc3339(DateTimeOffset at) =>
        at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
}
