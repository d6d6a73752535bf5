using System.Text.Json.Serialization;
using Shop.WeChatPay.Crypto;

namespace Shop.WeChatPay.Notifications;

/// <summary>
/// The outer JSON of a payment/refund notification. <see cref="Summary"/> is display text only and must not drive
/// decisions; <see cref="Id"/> is unique per notification and may be recorded for deduplication.
/// </summary>
public sealed record NotificationEnvelope
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("create_time")] public DateTimeOffset? CreateTime { get; init; }

    [JsonPropertyName("resource_type")] public string? ResourceType { get; init; }

    /// <summary>One of <see cref="NotificationEventTypes"/> (others exist and are passed through).</summary>
    [JsonPropertyName("event_type")] public string EventType { get; init; } = "";

    [JsonPropertyName("summary")] public string? Summary { get; init; }

    [JsonPropertyName("resource")] public EncryptedResource? Resource { get; init; }
}

public static class NotificationEventTypes
{
    public const string TransactionSuccess = "TRANSACTION.SUCCESS";
    public const string RefundSuccess = "REFUND.SUCCESS";
    public const string RefundAbnormal = "REFUND.ABNORMAL";
    public const string RefundClosed = "REFUND.CLOSED";
}
