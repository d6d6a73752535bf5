using System.Text.Json.Serialization;

namespace Shop.WeChatPay.Notifications;

/// <summary>
/// The decrypted resource of a REFUND.* notification. Its state field is <c>refund_status</c>
/// (the refund API calls the same thing <c>status</c>). success_time is present only on SUCCESS.
/// </summary>
public sealed record RefundNotificationResource
{
    [JsonPropertyName("mchid")] public string? MchId { get; init; }

    [JsonPropertyName("out_trade_no")] public string OutTradeNo { get; init; } = "";

    [JsonPropertyName("transaction_id")] public string TransactionId { get; init; } = "";

    [JsonPropertyName("out_refund_no")] public string OutRefundNo { get; init; } = "";

    [JsonPropertyName("refund_id")] public string RefundId { get; init; } = "";

    /// <summary>SUCCESS | CLOSED | ABNORMAL.</summary>
    [JsonPropertyName("refund_status")] public string RefundStatus { get; init; } = "";

    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; init; }

    [JsonPropertyName("user_received_account")] public string? UserReceivedAccount { get; init; }

    [JsonPropertyName("amount")] public RefundNotificationAmount? Amount { get; init; }
}

/// <summary>Amounts in fen.</summary>
public sealed record RefundNotificationAmount(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("refund")] long Refund,
    [property: JsonPropertyName("payer_total")] long PayerTotal,
    [property: JsonPropertyName("payer_refund")] long PayerRefund);
