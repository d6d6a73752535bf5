using System.Text.Json;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Notifications;

/// <summary>
/// Verifies a notification over its raw body bytes (read before any model binding), then parses and decrypts it.
/// Order: headers → timestamp → serial → signature → payload → decrypt; the first failing check is reported.
/// </summary>
public sealed class WeChatPayNotificationParser(WeChatPaySignatureVerifier verifier, ApiV3Cipher cipher)
{
    public async ValueTask<NotificationResult> ParseAsync(SignatureHeaders headers, ReadOnlyMemory<byte> rawBody, CancellationToken cancellationToken = default)
    {
        var verification = await verifier.VerifyAsync(headers, rawBody, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            return new NotificationResult(verification, null);
        }

        NotificationEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<NotificationEnvelope>(rawBody.Span, Api.WeChatPayJson.Options);
        }
        catch (JsonException)
        {
            envelope = null;
        }

        if (envelope?.Resource is not { } resource)
        {
            return Failed(VerificationCheck.Payload, "notification body has no resource", verification);
        }

        if (resource.Algorithm != EncryptedResource.AeadAes256Gcm)
        {
            return Failed(VerificationCheck.Decrypt, "unsupported resource algorithm", verification);
        }

        return cipher.TryDecrypt(resource, out var plaintext)
            ? new NotificationResult(verification, new WeChatPayNotification(envelope, plaintext))
            : Failed(VerificationCheck.Decrypt, "resource decryption failed", verification);
    }

    private static NotificationResult Failed(VerificationCheck check, string message, VerificationResult verified) =>
        new(verified with { FailedCheck = check, Message = message }, null);
}
