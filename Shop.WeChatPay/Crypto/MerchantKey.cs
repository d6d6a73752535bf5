using System.Security.Cryptography;
using System.Text;

namespace Shop.WeChatPay.Crypto;

/// <summary>
/// The merchant API key pair: signs requests and paySign strings, and decrypts sensitive fields that WeChat Pay
/// encrypts to the merchant certificate. The serial is configured as 商户平台 shows it, never derived (SDKs disagree).
/// </summary>
public sealed class MerchantKey : IDisposable
{
    private readonly RSA _privateKey;

    public MerchantKey(string mchId, string certificateSerial, RSA privateKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mchId);
        ArgumentException.ThrowIfNullOrWhiteSpace(certificateSerial);
        ArgumentNullException.ThrowIfNull(privateKey);
        MchId = mchId;
        CertificateSerial = certificateSerial;
        _privateKey = privateKey;
    }

    public string MchId { get; }

    public string CertificateSerial { get; }

    public static MerchantKey FromPem(string mchId, string certificateSerial, string privateKeyPem) =>
        new(mchId, certificateSerial, PemKeys.ImportPrivateKey(privateKeyPem));

    /// <summary>RSASSA-PKCS1-v1_5 / SHA-256 over <paramref name="message"/>, standard base64.</summary>
    public string Sign(ReadOnlySpan<byte> message) =>
        Convert.ToBase64String(_privateKey.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public string Sign(string message) => Sign(Encoding.UTF8.GetBytes(message));

    /// <summary>Decrypts a base64 RSA-OAEP(SHA-1) field that WeChat Pay encrypted to the merchant certificate.</summary>
    public string DecryptSensitiveField(string ciphertextBase64) => RsaOaep.Decrypt(_privateKey, ciphertextBase64);

    public void Dispose() => _privateKey.Dispose();
}
