using System.Globalization;
using System.Text.Json.Nodes;
using Shop.WeChatPay.MiniProgram;
using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.MiniProgram;

/// <summary>What WeChat holds about the shipping of one paid order (支付单).</summary>
internal sealed class ShippingRecord
{
    public required int LogisticsType { get; set; }

    public required int DeliveryMode { get; set; }

    public required bool Finished { get; set; }

    /// <summary>Times shipping was completed: 1 after the first upload, 2 after the one re-upload.</summary>
    public required int FinishCount { get; set; }

    public required JsonArray ShippingList { get; set; }

    public required DateTimeOffset UploadTime { get; set; }

    public bool ReuploadUsed { get; set; }

    /// <summary>Every accepted upload body, oldest first.</summary>
    public List<JsonObject> Uploads { get; } = [];
}

/// <summary>
/// upload_shipping_info with WeChat's rules and errcodes (https://developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/api_uploadshippinginfo.html):
/// the order must be a paid JSAPI order of the token's appid and the payer's openid; logistics_type 1-4; delivery_mode
/// 1 (one list entry) or 2 (express only, with is_all_delivered, at most 15 entries); item_desc 1-120 characters;
/// express entries need tracking_no and a courier id from the delivery list, SF a masked contact; upload_time RFC 3339.
/// An upload after shipping was completed is the one re-upload (10060003 after that), unless it changes nothing (10060023).
/// Split delivery may come in parts: is_all_delivered false, then later uploads that add parcels (the whole list so
/// far) until one says true; a part that changes an uploaded parcel, the mode or the type is the re-upload.
/// </summary>
internal sealed class ShippingDesk(SimulatorLedger ledger, Keys.MerchantRegistry merchants, DeliveryList couriers)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<OrderKey, ShippingRecord> _records = [];

    public ShippingRecord? Find(OrderKey key)
    {
        lock (_gate)
        {
            return _records.GetValueOrDefault(key);
        }
    }

    public (int ErrCode, string Message) Upload(string appId, JsonObject body)
    {
        if (body["order_key"] is not JsonObject orderKey)
        {
            return (10060014, "order_key is required");
        }

        var numberType = Int(orderKey["order_number_type"]);
        SimOrder? order;
        lock (ledger.Gate)
        {
            switch (numberType)
            {
                case 1:
                    var mchId = Text(orderKey["mchid"]);
                    var outTradeNo = Text(orderKey["out_trade_no"]);
                    if (string.IsNullOrEmpty(mchId))
                    {
                        return (268485196, "商户侧单号形式下 mchid 字段不能为空");
                    }

                    if (string.IsNullOrEmpty(outTradeNo))
                    {
                        return (268485197, "商户侧单号形式下 out_trade_no 字段不能为空");
                    }

                    order = ledger.Order(new OrderKey(mchId, outTradeNo));
                    break;
                case 2:
                    var transactionId = Text(orderKey["transaction_id"]);
                    if (string.IsNullOrEmpty(transactionId))
                    {
                        return (268485195, "微信支付单号形式下 transaction_id 字段不能为空");
                    }

                    order = merchants.All.Where(m => m.AppIds.Contains(appId))
                        .Select(m => ledger.OrderByTransactionId(m.MchId, transactionId)).FirstOrDefault(o => o is not null);
                    break;
                default:
                    return (268485194, "订单单号类型非法");
            }
        }

        if (order is null || order.AppId != appId || order.TransactionId is null)
        {
            return (10060001, "支付单不存在");
        }

        if (!order.IsPaid)
        {
            return (10060004, "支付单处于不可发货的状态");
        }

        if (Text(body["payer"]?["openid"]) != order.PayerOpenId)
        {
            return (10060031, "该笔支付单不属于 openid 所指定的用户");
        }

        if (Check(body) is { } refused)
        {
            return refused;
        }

        var uploadTime = DateTimeOffset.Parse(Text(body["upload_time"])!, CultureInfo.InvariantCulture);
        var list = (JsonArray)body["shipping_list"]!.DeepClone();
        var logisticsType = Int(body["logistics_type"])!.Value;
        var deliveryMode = Int(body["delivery_mode"])!.Value;
        var finished = deliveryMode == 1 || body["is_all_delivered"]?.GetValue<bool>() == true;
        lock (_gate)
        {
            if (_records.TryGetValue(order.Key, out var record))
            {
                if (record.LogisticsType == logisticsType && record.DeliveryMode == deliveryMode && JsonNode.DeepEquals(record.ShippingList, list))
                {
                    return (MiniProgramErrors.ShippingUnchanged, "发货信息未更新");
                }

                if (uploadTime <= record.UploadTime)
                {
                    return (10060014, "参数错误: upload_time must be later than the previous upload's");
                }

                // After shipping was completed, or when the mode or type changes, an upload is the one re-upload (重新发货);
                // so is a split delivery's next part that drops or changes a parcel already uploaded (一个支付单只能更新一次发货信息):
                // a next part adds parcels to the list, it does not edit it.
                if (record.Finished || record.LogisticsType != logisticsType || record.DeliveryMode != deliveryMode || !KeepsEveryParcel(record.ShippingList, list))
                {
                    if (record.ReuploadUsed)
                    {
                        return (MiniProgramErrors.ReuploadUsed, "支付单已使用重新发货机会");
                    }

                    record.ReuploadUsed = true;
                }

                record.FinishCount += finished ? 1 : 0;
                (record.LogisticsType, record.DeliveryMode, record.ShippingList, record.UploadTime, record.Finished) =
                    (logisticsType, deliveryMode, list, uploadTime, finished);
            }
            else
            {
                record = new ShippingRecord
                {
                    LogisticsType = logisticsType, DeliveryMode = deliveryMode, Finished = finished, FinishCount = finished ? 1 : 0,
                    ShippingList = list, UploadTime = uploadTime,
                };
                _records[order.Key] = record;
            }

            record.Uploads.Add((JsonObject)body.DeepClone());
            return (0, "ok");
        }
    }

    private (int, string)? Check(JsonObject body)
    {
        var logisticsType = Int(body["logistics_type"]);
        if (logisticsType is not (1 or 2 or 3 or 4))
        {
            return (10060005, "物流类型有误");
        }

        var deliveryMode = Int(body["delivery_mode"]);
        if (deliveryMode is not (1 or 2))
        {
            return (268485224, "发货模式非法");
        }

        if (deliveryMode == 2 && logisticsType != 1)
        {
            return (10060006, "非快递发货时不允许分拆发货");
        }

        if (deliveryMode == 2 && body["is_all_delivered"]?.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            return (10060007, "分拆发货模式下必须填写 is_all_delivered 字段");
        }

        if (body["shipping_list"] is not JsonArray list || list.Count == 0)
        {
            return (10060014, "参数错误: shipping_list is required");
        }

        if (list.Count > 15)
        {
            return (10060024, "物流信息列表太长");
        }

        if (deliveryMode == 1 && list.Count != 1)
        {
            return (268485228, "统一发货模式下，物流信息列表长度必须为1");
        }

        foreach (var entry in list)
        {
            var itemDesc = Text(entry?["item_desc"]);
            if (string.IsNullOrEmpty(itemDesc))
            {
                return (10060008, "商品描述 item_desc 字段不能为空");
            }

            if (itemDesc.EnumerateRunes().Count() > 120)
            {
                return (10060009, "商品描述 item_desc 字段太长");
            }

            if (logisticsType != 1)
            {
                continue;
            }

            var trackingNo = Text(entry?["tracking_no"]);
            var company = Text(entry?["express_company"]);
            if (string.IsNullOrEmpty(trackingNo))
            {
                return (268485226, "物流单号不能为空");
            }

            if (string.IsNullOrEmpty(company))
            {
                return (268485227, "物流公司编码不能为空");
            }

            if (trackingNo.Length > 128)
            {
                return (10060026, "物流单号太长");
            }

            if (company.Length > 128)
            {
                return (10060025, "物流公司编码太长");
            }

            if (!couriers.Current.IsKnown(company))
            {
                return (10060014, $"参数错误: express_company {company} is not in the delivery list (get_delivery_list)");
            }

            var contacts = new[] { Text(entry?["contact"]?["consignor_contact"]), Text(entry?["contact"]?["receiver_contact"]) };
            if (company == "SF" && contacts.All(string.IsNullOrEmpty))
            {
                return (10060014, "参数错误: 顺丰 requires contact (consignor_contact or receiver_contact)");
            }

            if (contacts.Any(c => !string.IsNullOrEmpty(c) && !IsMasked(c)))
            {
                return (10060014, "参数错误: contact must be masked (e.g. 189****1234), its last 4 digits not masked");
            }
        }

        if (Text(body["upload_time"]) is not { } uploadTime || !IsRfc3339(uploadTime))
        {
            return (268485216, "上传时间非法，请按照 RFC 3339 格式填写");
        }

        return Text(body["payer"]?["openid"]) is { Length: > 0 } ? null : (10060014, "参数错误: payer.openid is required");
    }

    /// <summary>Every earlier entry is still in the new list, unchanged (an added parcel is a next part, not a change).</summary>
    private static bool KeepsEveryParcel(JsonArray before, JsonArray after) =>
        before.All(old => after.Any(entry => JsonNode.DeepEquals(old, entry)));

    /// <summary>Masked with '*' somewhere, and the last 4 characters are digits.</summary>
    private static bool IsMasked(string contact) =>
        contact.Contains('*', StringComparison.Ordinal) && contact.Length >= 5 && contact[^4..].All(char.IsAsciiDigit);

    private static bool IsRfc3339(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;
}
