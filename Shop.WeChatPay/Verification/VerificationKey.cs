using System.Security.Cryptography;

namespace Shop.WeChatPay.Verification;

public enum VerificationKeyKind
{
    /// <summary>An X.509 platform certificate (平台证书); serial = the certificate's hex serial.</summary>
    PlatformCertificate,

    /// <summary>The WeChat Pay public key (微信支付公钥); serial = its PUB_KEY_ID_… id.</summary>
    WeChatPayPublicKey,
}

/// <summary>A WeChat Pay verification key, keyed by the value WeChat Pay puts in <c>Wechatpay-Serial</c>.</summary>
public sealed record VerificationKey(
    string Serial,
    RSA PublicKey,
    VerificationKeyKind Kind,
    DateTimeOffset? NotBefore = null,
    DateTimeOffset? NotAfter = null)
{
    public bool IsExpiredAt(DateTimeOffset now) => NotAfter is { } notAfter && now > notAfter;
}
