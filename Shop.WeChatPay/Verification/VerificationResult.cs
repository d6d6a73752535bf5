namespace Shop.WeChatPay.Verification;

/// <summary>The check that rejected a response or notification, in the order they run.</summary>
public enum VerificationCheck
{
    None = 0,

    /// <summary>A Wechatpay-* header is missing, or the signature type is not WECHATPAY2-SHA256-RSA2048.</summary>
    Headers,

    /// <summary>|now − Wechatpay-Timestamp| &gt; 300 s (or the timestamp is not a number).</summary>
    Timestamp,

    /// <summary>Wechatpay-Serial names no key we hold (after any allowed refresh).</summary>
    Serial,

    /// <summary>The signature does not verify, is not base64, or is a WECHATPAY/SIGNTEST/ probe.</summary>
    Signature,

    /// <summary>The signed body is not a notification envelope we understand.</summary>
    Payload,

    /// <summary>AEAD_AES_256_GCM decryption failed (wrong key, tag, nonce or associated data).</summary>
    Decrypt,
}

/// <summary>Outcome of verification; <see cref="Message"/> is short enough for a notification's FAIL answer.</summary>
public sealed record VerificationResult(VerificationCheck FailedCheck, string Message, string? Serial, VerificationKeyKind? KeyKind)
{
    public bool IsValid => FailedCheck == VerificationCheck.None;

    public static VerificationResult Success(VerificationKey key) => new(VerificationCheck.None, "OK", key.Serial, key.Kind);

    public static VerificationResult Fail(VerificationCheck check, string message, string? serial = null) => new(check, message, serial, null);
}
