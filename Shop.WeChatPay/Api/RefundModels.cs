using System.Text.Json.Serialization;

namespace Shop.WeChatPay.Api;

/// <summary>
/// POST /v3/refund/domestic/refunds. Give transaction_id or out_trade_no. The same out_refund_no is the same refund,
/// which is what makes re-sending this request safe.
/// </summary>
public sealed record RefundRequest
{
    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }

    [JsonPropertyName("out_trade_no")] public string? OutTradeNo { get; init; }

    [JsonPropertyName("out_refund_no")] public required string OutRefundNo { get; init; }

    [JsonPropertyName("reason")] public string? Reason { get; init; }

    [JsonPropertyName("notify_url")] public string? NotifyUrl { get; init; }

    [JsonPropertyName("funds_account")] public string? FundsAccount { get; init; }

    [JsonPropertyName("amount")] public required RefundRequestAmount Amount { get; init; }
}

/// <summary>refund = amount to return now; total = the original order amount (both fen).</summary>
public sealed record RefundRequestAmount(
    [property: JsonPropertyName("refund")] long Refund,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("currency")] string Currency = "CNY");

/// <summary>The refund object returned by create and query. A 200 on create means accepted, not refunded.</summary>
public sealed record Refund
{
    [JsonPropertyName("refund_id")] public string RefundId { get; init; } = "";

    [JsonPropertyName("out_refund_no")] public string OutRefundNo { get; init; } = "";

    [JsonPropertyName("transaction_id")] public string? TransactionId { get; init; }

    [JsonPropertyName("out_trade_no")] public string? OutTradeNo { get; init; }

    /// <summary>ORIGINAL | BALANCE | OTHER_BALANCE | OTHER_BANKCARD.</summary>
    [JsonPropertyName("channel")] public string? Channel { get; init; }

    [JsonPropertyName("user_received_account")] public string? UserReceivedAccount { get; init; }

    [JsonPropertyName("success_time")] public DateTimeOffset? SuccessTime { get; init; }

    [JsonPropertyName("create_time")] public DateTimeOffset? CreateTime { get; init; }

    /// <summary>One of <see cref="RefundStatuses"/>; called refund_status in notifications.</summary>
    [JsonPropertyName("status")] public string Status { get; init; } = "";

    [JsonPropertyName("funds_account")] public string? FundsAccount { get; init; }

    [JsonPropertyName("amount")] public RefundAmount? Amount { get; init; }
}

public static class RefundStatuses
{
    public const string Success = "SUCCESS";
    public const string Closed = "CLOSED";
    public const string Processing = "PROCESSING";
    public const string Abnormal = "ABNORMAL";
}

public sealed record RefundAmount
{
    [JsonPropertyName("total")] public long Total { get; init; }

    [JsonPropertyName("refund")] public long Refund { get; init; }

    [JsonPropertyName("payer_total")] public long? PayerTotal { get; init; }

    [JsonPropertyName("payer_refund")] public long? PayerRefund { get; init; }

    [JsonPropertyName("settlement_total")] public long? SettlementTotal { get; init; }

    [JsonPropertyName("settlement_refund")] public long? SettlementRefund { get; init; }

    [JsonPropertyName("discount_refund")] public long? DiscountRefund { get; init; }

    [JsonPropertyName("currency")] public string? Currency { get; init; }

    [JsonPropertyName("from")] public IReadOnlyList<RefundFundsFrom>? From { get; init; }
}

public sealed record RefundFundsFrom(
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("amount")] long Amount);
