using System.Text.Json;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Notifications;

/// <summary>A verified and decrypted notification. <see cref="ResourceJson"/> is the decrypted plaintext.</summary>
public sealed record WeChatPayNotification(NotificationEnvelope Envelope, string ResourceJson)
{
    public string EventType => Envelope.EventType;

    public string? OriginalType => Envelope.Resource?.OriginalType;

    public bool IsTransaction => OriginalType == "transaction" || EventType.StartsWith("TRANSACTION.", StringComparison.Ordinal);

    public bool IsRefund => OriginalType == "refund" || EventType.StartsWith("REFUND.", StringComparison.Ordinal);

    public Transaction ReadTransaction() =>
        IsTransaction ? Read<Transaction>() : throw new InvalidOperationException($"{EventType} does not carry a transaction.");

    public RefundNotificationResource ReadRefund() =>
        IsRefund ? Read<RefundNotificationResource>() : throw new InvalidOperationException($"{EventType} does not carry a refund.");

    private T Read<T>() => JsonSerializer.Deserialize<T>(ResourceJson, WeChatPayJson.Options)
        ?? throw new JsonException($"The decrypted {OriginalType} resource is null.");
}

/// <summary>
/// Outcome of handling a notification. On failure answer non-2xx with <see cref="FailBody"/> so WeChat Pay re-delivers;
/// on success answer 200/204 with an empty body after the state change is committed.
/// </summary>
public sealed record NotificationResult(VerificationResult Verification, WeChatPayNotification? Notification)
{
    public bool IsValid => Verification.IsValid && Notification is not null;

    public VerificationCheck FailedCheck => Verification.FailedCheck;

    /// <summary>The JSON body of a failure answer: {"code":"FAIL","message":"..."}.</summary>
    public string FailBody => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["code"] = "FAIL",
        ["message"] = Verification.Message,
    }, WeChatPayJson.Options);
}
