using System.Text.Json.Serialization;
using Shop.WeChatPay.Crypto;

namespace Shop.WeChatPay.Api;

/// <summary>GET /v3/certificates (platform-certificate mode only).</summary>
public sealed record CertificateList([property: JsonPropertyName("data")] IReadOnlyList<PlatformCertificateEntry> Data);

public sealed record PlatformCertificateEntry(
    [property: JsonPropertyName("serial_no")] string SerialNo,
    [property: JsonPropertyName("effective_time")] DateTimeOffset? EffectiveTime,
    [property: JsonPropertyName("expire_time")] DateTimeOffset? ExpireTime,
    [property: JsonPropertyName("encrypt_certificate")] EncryptedResource? EncryptCertificate);
