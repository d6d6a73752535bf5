using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// One store for both verification modes, keyed by the <c>Wechatpay-Serial</c> string. The namespaces cannot collide:
/// only public-key ids start with <see cref="PublicKeyIdPrefix"/>. A lookup never falls back to "the only key I have".
/// </summary>
public sealed class VerificationKeyStore(TimeProvider time)
{
    public const string PublicKeyIdPrefix = "PUB_KEY_ID_";

    private readonly ConcurrentDictionary<string, VerificationKey> _keys = new(StringComparer.OrdinalIgnoreCase);

    public static bool IsPublicKeyId(string serial) => serial.StartsWith(PublicKeyIdPrefix, StringComparison.Ordinal);

    public void AddPublicKey(string publicKeyId, RSA publicKey)
    {
        if (!IsPublicKeyId(publicKeyId))
        {
            throw new ArgumentException($"A WeChat Pay public key id starts with {PublicKeyIdPrefix}.", nameof(publicKeyId));
        }

        _keys[publicKeyId] = new VerificationKey(publicKeyId, publicKey, VerificationKeyKind.WeChatPayPublicKey);
    }

    /// <summary>Adds a platform certificate under <paramref name="serial"/>, the serial_no WeChat Pay listed it with.</summary>
    public void AddCertificate(string serial, X509Certificate2 certificate)
    {
        if (IsPublicKeyId(serial))
        {
            throw new ArgumentException("A platform certificate serial cannot be a public key id.", nameof(serial));
        }

        var key = certificate.GetRSAPublicKey() ?? throw new ArgumentException("The platform certificate has no RSA key.", nameof(certificate));
        _keys[serial] = new VerificationKey(serial, key, VerificationKeyKind.PlatformCertificate,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    /// <summary>The key for <paramref name="serial"/>, or null when unknown or expired.</summary>
    public VerificationKey? Find(string serial) =>
        _keys.TryGetValue(serial, out var key) && !key.IsExpiredAt(time.GetUtcNow()) ? key : null;

    public IReadOnlyCollection<VerificationKey> All => _keys.Values.ToArray();

    public bool HasCertificates => _keys.Values.Any(k => k.Kind == VerificationKeyKind.PlatformCertificate);

    /// <summary>
    /// The key to name in a request's Wechatpay-Serial and to encrypt sensitive fields to: the public key when one is
    /// configured (responses are then signed with it), otherwise the newest unexpired certificate.
    /// </summary>
    public VerificationKey? Preferred()
    {
        var now = time.GetUtcNow();
        var live = _keys.Values.Where(k => !k.IsExpiredAt(now)).ToArray();
        return live.FirstOrDefault(k => k.Kind == VerificationKeyKind.WeChatPayPublicKey)
            ?? live.OrderByDescending(k => k.NotBefore <= now).ThenByDescending(k => k.NotBefore).FirstOrDefault();
    }

    public string? PreferredSerial() => Preferred()?.Serial;

    public int RemoveExpired()
    {
        var now = time.GetUtcNow();
        return _keys.Values.Where(k => k.IsExpiredAt(now)).Count(k => _keys.TryRemove(k.Serial, out _));
    }
}
