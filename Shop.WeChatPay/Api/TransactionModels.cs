using System.Text.Json.Serialization;

namespace Shop.WeChatPay.Api;

/// <summary>
/// A payment order as returned by the order query and as decrypted from a TRANSACTION.SUCCESS notification.
/// Optional fields are null until the order is paid. Enumerations are strings so new values do not break parsing.
/// </summary>
public sealed record Transaction
{
    [JsonPropertyName("appid")] public string AppId { get; init; } = "";

    [JsonPropertyName("mchid")] public string MchId { get; init; } = "";

    [JsonPropertyName("out_trade_no")] public string OutTradeNo { get; init; } = "";

    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }

    [JsonPropertyName("trade_type")] public string? TradeType { get; init; }

    /// <summary>One of <see cref="TradeStates"/>.</summary>
    [JsonPropertyName("trade_state")] public string TradeState { get; init; } = "";

    [JsonPropertyName("trade_state_desc")] public string? TradeStateDesc { get; init; }

    [JsonPropertyName("bank_type")] public string? BankType { get; init; }

    [JsonPropertyName("attach")] public string? Attach { get; init; }

    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; init; }

    [JsonPropertyName("payer")] public TransactionPayer? Payer { get; init; }

    [JsonPropertyName("amount")] public TransactionAmount? Amount { get; init; }

    [JsonPropertyName("scene_info")] public TransactionSceneInfo? SceneInfo { get; init; }

    [JsonPropertyName("promotion_detail")] public IReadOnlyList<PromotionDetail>? PromotionDetail { get; init; }
}

public static class TradeStates
{
    public const string Success = "SUCCESS";
    public const string Refund = "REFUND";
    public const string NotPay = "NOTPAY";
    public const string Closed = "CLOSED";
    public const string Revoked = "REVOKED";
    public const string UserPaying = "USERPAYING";
    public const string PayError = "PAYERROR";
}

public sealed record TransactionPayer([property: JsonPropertyName("openid")] string? OpenId);

/// <summary>Amounts in fen; payer_total can be lower than total when coupons apply.</summary>
public sealed record TransactionAmount(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("payer_total")] long? PayerTotal,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("payer_currency")] string? PayerCurrency);

public sealed record TransactionSceneInfo([property: JsonPropertyName("device_id")] string? DeviceId);

public sealed record PromotionDetail(
    [property: JsonPropertyName("coupon_id")] string CouponId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("stock_id")] string? StockId,
    [property: JsonPropertyName("wechatpay_contribute")] long? WechatpayContribute,
    [property: JsonPropertyName("merchant_contribute")] long? MerchantContribute,
    [property: JsonPropertyName("other_contribute")] long? OtherContribute,
    [property: JsonPropertyName("currency")] string? Currency);
