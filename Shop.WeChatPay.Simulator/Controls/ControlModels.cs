using System.Text.Json.Serialization;
using Shop.WeChatPay.Simulator.Notifications;

namespace Shop.WeChatPay.Simulator.Controls;

/// <summary>
/// "The user paid": name the order by <see cref="PrepayId"/> (as the WeChat client would) or by out_trade_no (+ mchid
/// when two merchants share the number). <see cref="AmountTotal"/> overrides the paid amount.total (to produce an
/// amount mismatch), <see cref="PayerTotal"/> the part the payer paid (a coupon paid the rest).
/// </summary>
public sealed record PayCommand(
    string? PrepayId = null,
    string? OutTradeNo = null,
    [property: JsonPropertyName("mchid")] string? MchId = null,
    long? AmountTotal = null,
    long? PayerTotal = null,
    [property: JsonPropertyName("openid")] string? OpenId = null);

/// <summary>Drop the next <see cref="Count"/> delivery attempts for an order (lost on the way: no answer, so retried).</summary>
public sealed record DropCommand(int Count = 1);

/// <summary>Send the order's next notification <see cref="Count"/> extra times, at once (concurrent) or one after another.</summary>
public sealed record DuplicateCommand(int Count = 1, bool Concurrent = false);

/// <summary>Hold the order's next notification back this long before its first attempt.</summary>
public sealed record DelayCommand(int Milliseconds);

/// <summary>Send the order's latest notification again (same id and body, fresh signature).</summary>
public sealed record ReplayCommand(int Count = 1, bool Concurrent = false);

public sealed record NotificationDeliveryView(
    string NotificationId,
    string EventType,
    string? OutRefundNo,
    string Url,
    string Origin,
    DeliveryState State,
    DateTimeOffset? NextAttemptAt,
    IReadOnlyList<DeliveryAttempt> Attempts);

public sealed record OrderNotificationsView(
    [property: JsonPropertyName("mchid")] string MchId, string OutTradeNo, IReadOnlyList<NotificationDeliveryView> Notifications);

public sealed record PlatformView(string PublicKeyId, string PublicKeyPem, string CertificateSerial, string CertificatePem);
