using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Shop.WeChatPay.Signing;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// Verifies WeChat Pay signatures on responses and notifications over TIMESTAMP\nNONCE\nRAW_BODY\n.
/// Checks run in order (headers, timestamp window, key lookup, signature) and stop at the first failure.
/// The body is the raw bytes received; it is never parsed and re-serialized.
/// </summary>
public sealed class WeChatPaySignatureVerifier(IVerificationKeyResolver keys, TimeProvider time)
{
    public const string SignatureTypeRsa = WeChatPayAuthorization.Scheme;
    public const string SignatureProbePrefix = "WECHATPAY/SIGNTEST/";

    /// <summary>Accepted clock difference; |Δ| = 300 s is still accepted (php/axios), 301 s is not.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(300);

    public ValueTask<VerificationResult> VerifyAsync(SignatureHeaders headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        VerifyAsync(headers, body, keys, cancellationToken);

    public async ValueTask<VerificationResult> VerifyAsync(
        SignatureHeaders headers, ReadOnlyMemory<byte> body, IVerificationKeyResolver resolver, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (string.IsNullOrEmpty(headers.Timestamp) || string.IsNullOrEmpty(headers.Nonce)
            || string.IsNullOrEmpty(headers.Signature) || string.IsNullOrEmpty(headers.Serial))
        {
            return VerificationResult.Fail(VerificationCheck.Headers, "missing Wechatpay-* signature headers", headers.Serial);
        }

        // Absent means RSA (as go/java assume); ASP.NET header lookups report absent headers as "".
        if (!string.IsNullOrEmpty(headers.SignatureType) && headers.SignatureType != SignatureTypeRsa)
        {
            return VerificationResult.Fail(VerificationCheck.Headers, "unsupported Wechatpay-Signature-Type", headers.Serial);
        }

        if (!long.TryParse(headers.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - timestamp) > (long)MaxClockSkew.TotalSeconds)
        {
            return VerificationResult.Fail(VerificationCheck.Timestamp, "Wechatpay-Timestamp outside the 300 s window", headers.Serial);
        }

        var key = await resolver.ResolveAsync(headers.Serial, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return VerificationResult.Fail(VerificationCheck.Serial, "unknown Wechatpay-Serial", headers.Serial);
        }

        return IsSignatureValid(key, headers, body.Span)
            ? VerificationResult.Success(key)
            : VerificationResult.Fail(VerificationCheck.Signature, "invalid Wechatpay-Signature", headers.Serial);
    }

    /// <summary>Signature check alone (no clock, no lookup); a SIGNTEST probe or non-base64 value is simply invalid.</summary>
    public static bool IsSignatureValid(VerificationKey key, SignatureHeaders headers, ReadOnlySpan<byte> body)
    {
        if (headers.Signature is not { } signatureText || headers.Timestamp is null || headers.Nonce is null
            || signatureText.StartsWith(SignatureProbePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureText);
        }
        catch (FormatException)
        {
            return false;
        }

        var message = BuildMessage(headers.Timestamp, headers.Nonce, body);
        try
        {
            return key.PublicKey.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static byte[] BuildMessage(string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n");
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }
}
