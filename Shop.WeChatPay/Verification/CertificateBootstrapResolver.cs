using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// Resolves keys for a /v3/certificates response. A serial we already hold is used as is; otherwise the response must
/// be signed by a certificate contained in its own body, which is trusted only because it decrypts with our APIv3 key.
/// Never triggers a refresh, so verifying a download cannot recurse into another download.
/// </summary>
internal sealed class CertificateBootstrapResolver(VerificationKeyStore store, ApiV3Cipher cipher, byte[] body) : IVerificationKeyResolver
{
    public ValueTask<VerificationKey?> ResolveAsync(string serial, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.Find(serial) ?? FromBody(serial));

    private VerificationKey? FromBody(string serial)
    {
        CertificateList? list;
        try
        {
            list = JsonSerializer.Deserialize<CertificateList>(body, WeChatPayJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }

        var entry = list?.Data.FirstOrDefault(e => PlatformCertificateDecoder.SameSerial(e.SerialNo, serial));
        if (entry is null || !PlatformCertificateDecoder.TryDecode(entry, cipher, out var certificate, out _) || certificate is null)
        {
            return null;
        }

        using (certificate)
        {
            var key = certificate.GetRSAPublicKey();
            return key is null ? null : new VerificationKey(serial, key, VerificationKeyKind.PlatformCertificate,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }
    }
}
