using System.Text.Json.Serialization;

namespace Shop.WeChatPay.MiniProgram;

public sealed record StableTokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("appid")] string AppId,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("force_refresh")] bool ForceRefresh);

/// <summary>Every answer of the mini-program server API carries these; 0 (or absent) is success.</summary>
public record WeChatResult
{
    [JsonPropertyName("errcode")]
    public int ErrCode { get; init; }

    [JsonPropertyName("errmsg")]
    public string? ErrMsg { get; init; }
}

public sealed record StableTokenResponse : WeChatResult
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; init; }
}

public sealed record EmptyRequest;

/// <summary>order_number_type 1: the order named by mchid + out_trade_no (2 would be transaction_id).</summary>
public sealed record ShippingOrderKey(
    [property: JsonPropertyName("order_number_type")] int OrderNumberType,
    [property: JsonPropertyName("mchid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MchId,
    [property: JsonPropertyName("out_trade_no"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OutTradeNo,
    [property: JsonPropertyName("transaction_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TransactionId = null);

public sealed record ShippingContact(
    [property: JsonPropertyName("consignor_contact"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConsignorContact,
    [property: JsonPropertyName("receiver_contact"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReceiverContact);

public sealed record ShippingListItem(
    [property: JsonPropertyName("tracking_no"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TrackingNo,
    [property: JsonPropertyName("express_company"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExpressCompany,
    [property: JsonPropertyName("item_desc")] string ItemDesc,
    [property: JsonPropertyName("contact"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ShippingContact? Contact);

public sealed record ShippingPayer([property: JsonPropertyName("openid")] string OpenId);

public sealed record UploadShippingInfoRequest(
    [property: JsonPropertyName("order_key")] ShippingOrderKey OrderKey,
    [property: JsonPropertyName("logistics_type")] int LogisticsType,
    [property: JsonPropertyName("delivery_mode")] int DeliveryMode,
    [property: JsonPropertyName("is_all_delivered"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IsAllDelivered,
    [property: JsonPropertyName("shipping_list")] IReadOnlyList<ShippingListItem> ShippingList,
    [property: JsonPropertyName("upload_time")] string UploadTime,
    [property: JsonPropertyName("payer")] ShippingPayer Payer);

public sealed record GetShippingOrderRequest(
    [property: JsonPropertyName("merchant_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MerchantId,
    [property: JsonPropertyName("merchant_trade_no"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MerchantTradeNo,
    [property: JsonPropertyName("transaction_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TransactionId = null);

public sealed record GetShippingOrderResponse : WeChatResult
{
    [JsonPropertyName("order")]
    public ShippingOrder? Order { get; init; }
}

/// <summary>order_state: 1 待发货, 2 已发货, 3 确认收货, 4 交易完成, 5 已退款, 6 资金待结算.</summary>
public sealed record ShippingOrder(
    [property: JsonPropertyName("transaction_id")] string TransactionId,
    [property: JsonPropertyName("merchant_id")] string MerchantId,
    [property: JsonPropertyName("merchant_trade_no")] string MerchantTradeNo,
    [property: JsonPropertyName("openid")] string OpenId,
    [property: JsonPropertyName("paid_amount")] long PaidAmount,
    [property: JsonPropertyName("order_state")] int OrderState,
    [property: JsonPropertyName("shipping")] ShippingDetail? Shipping);

public sealed record ShippingDetail(
    [property: JsonPropertyName("delivery_mode")] int DeliveryMode,
    [property: JsonPropertyName("logistics_type")] int LogisticsType,
    [property: JsonPropertyName("finish_shipping")] bool FinishShipping,
    [property: JsonPropertyName("finish_shipping_count")] int FinishShippingCount,
    [property: JsonPropertyName("shipping_list")] IReadOnlyList<ShippedPackage> ShippingList);

public sealed record ShippedPackage(
    [property: JsonPropertyName("tracking_no")] string? TrackingNo,
    [property: JsonPropertyName("express_company")] string? ExpressCompany,
    [property: JsonPropertyName("goods_desc")] string GoodsDesc,
    [property: JsonPropertyName("upload_time")] long UploadTime,
    [property: JsonPropertyName("contact")] ShippingContact? Contact);

public sealed record DeliveryListResponse : WeChatResult
{
    [JsonPropertyName("delivery_list")]
    public IReadOnlyList<DeliveryCompany> DeliveryList { get; init; } = [];

    [JsonPropertyName("count")]
    public int Count { get; init; }
}

public sealed record DeliveryCompany(
    [property: JsonPropertyName("delivery_id")] string DeliveryId,
    [property: JsonPropertyName("delivery_name")] string DeliveryName);
