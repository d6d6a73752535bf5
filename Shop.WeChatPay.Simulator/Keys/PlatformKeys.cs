using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Simulator.Keys;

/// <summary>Wechatpay-* headers of one signed response or notification.</summary>
internal sealed record PlatformSignature(string Timestamp, string Nonce, string Signature, string Serial);

/// <summary>
/// The simulator's own WeChat Pay key pair, offered both ways a merchant can verify it: as the public key with id
/// <see cref="PublicKeyId"/> and wrapped in a self-signed platform certificate with hex serial
/// <see cref="CertificateSerial"/>. The serial is derived from the public key, so a key loaded from a file keeps its
/// serial across restarts.
/// </summary>
internal sealed class PlatformKeys : IDisposable
{
    private const string NonceAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private readonly RSA _key;

    private PlatformKeys(RSA key, string publicKeyId, DateTimeOffset now)
    {
        _key = key;
        PublicKeyId = publicKeyId;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        Certificate = CreateCertificate(key, now);
        CertificateSerial = Certificate.SerialNumber;
        CertificatePem = Certificate.ExportCertificatePem();
    }

    public string PublicKeyId { get; }

    public string PublicKeyPem { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificateSerial { get; }

    public string CertificatePem { get; }

    public static PlatformKeys Create(SimulatorOptions options, TimeProvider time)
    {
        var key = string.IsNullOrWhiteSpace(options.PlatformPrivateKeyPath)
            ? RSA.Create(2048)
            : PemKeys.ImportPrivateKey(File.ReadAllText(options.PlatformPrivateKeyPath));
        return new PlatformKeys(key, options.PublicKeyId, time.GetUtcNow());
    }

    public string SerialFor(MerchantKeyMode mode) => mode == MerchantKeyMode.Certificate ? CertificateSerial : PublicKeyId;

    /// <summary>Whether a Wechatpay-Serial value names this key in either mode.</summary>
    public string? Recognize(string? serial) =>
        string.IsNullOrEmpty(serial) ? null
        : serial == PublicKeyId ? PublicKeyId
        : PlatformCertificateDecoder.SameSerial(serial, CertificateSerial) ? CertificateSerial
        : null;

    /// <summary>Signs TIMESTAMP\nNONCE\nBODY\n with a fresh timestamp and 32-character nonce.</summary>
    public PlatformSignature Sign(string serial, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetString(NonceAlphabet, 32);
        var message = WeChatPaySignatureVerifier.BuildMessage(timestamp, nonce, body);
        var signature = Convert.ToBase64String(_key.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return new PlatformSignature(timestamp, nonce, signature, serial);
    }

    public static void Apply(PlatformSignature signature, Action<string, string> setHeader)
    {
        setHeader(WeChatPayHeaders.Timestamp, signature.Timestamp);
        setHeader(WeChatPayHeaders.Nonce, signature.Nonce);
        setHeader(WeChatPayHeaders.Signature, signature.Signature);
        setHeader(WeChatPayHeaders.Serial, signature.Serial);
        setHeader(WeChatPayHeaders.SignatureType, WeChatPaySignatureVerifier.SignatureTypeRsa);
    }

    private static X509Certificate2 CreateCertificate(RSA key, DateTimeOffset now)
    {
        var subject = new X500DistinguishedName("CN=WeChat Pay Simulator Platform Certificate, O=Shop, C=CN");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var serial = SHA256.HashData(key.ExportSubjectPublicKeyInfo())[..20];
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40); // positive, and no leading zero nibble for SDKs to drop
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).AddDays(-1);
        return request.Create(subject, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), notBefore, notBefore.AddYears(5), serial);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
