using System.Text.Json.Serialization;

namespace Shop.WeChatPay.Api;

/// <summary>POST /v3/pay/transactions/jsapi. Re-sending the identical request returns the same prepay_id.</summary>
public sealed record JsapiPrepayRequest
{
    [JsonPropertyName("appid")] public required string AppId { get; init; }

    [JsonPropertyName("mchid")] public required string MchId { get; init; }

    [JsonPropertyName("description")] public required string Description { get; init; }

    [JsonPropertyName("out_trade_no")] public required string OutTradeNo { get; init; }

    [JsonPropertyName("time_expire"), JsonConverter(typeof(Rfc3339SecondsConverter))]
    public DateTimeOffset? TimeExpire { get; init; }

    [JsonPropertyName("attach")] public string? Attach { get; init; }

    [JsonPropertyName("notify_url")] public required string NotifyUrl { get; init; }

    [JsonPropertyName("goods_tag")] public string? GoodsTag { get; init; }

    [JsonPropertyName("support_fapiao")] public bool? SupportFapiao { get; init; }

    [JsonPropertyName("amount")] public required PrepayAmount Amount { get; init; }

    [JsonPropertyName("payer")] public required PrepayPayer Payer { get; init; }

    [JsonPropertyName("scene_info")] public PrepaySceneInfo? SceneInfo { get; init; }

    [JsonPropertyName("settle_info")] public PrepaySettleInfo? SettleInfo { get; init; }
}

/// <summary>Order amount in fen; currency is only ever CNY.</summary>
public sealed record PrepayAmount(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("currency")] string? Currency = "CNY");

public sealed record PrepayPayer([property: JsonPropertyName("openid")] string OpenId);

public sealed record PrepaySceneInfo(
    [property: JsonPropertyName("payer_client_ip")] string PayerClientIp,
    [property: JsonPropertyName("device_id")] string? DeviceId = null);

public sealed record PrepaySettleInfo([property: JsonPropertyName("profit_sharing")] bool ProfitSharing);

/// <summary>A prepay_id is valid for 2 hours.</summary>
public sealed record PrepayResponse([property: JsonPropertyName("prepay_id")] string PrepayId);

/// <summary>POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close; answered with a signed 204.</summary>
public sealed record CloseOrderRequest([property: JsonPropertyName("mchid")] string MchId);
