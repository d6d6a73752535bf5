using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Keys;

/// <summary>
/// GET /v3/certificates: the platform certificate encrypted with the calling merchant's APIv3 key (associated_data
/// "certificate"); successful decryption is what lets the merchant trust its first download.
/// </summary>
internal static class CertificateEndpoints
{
    public static RouteGroupBuilder MapCertificates(this RouteGroupBuilder v3)
    {
        v3.MapGet("/certificates", List);
        return v3;
    }

    private static JsonHttpResult<CertificateList> List(SignedRequest request, PlatformKeys keys)
    {
        var nonce = WeChatTime.NewResourceNonce();
        var entry = new PlatformCertificateEntry(
            keys.CertificateSerial,
            WeChatTime.Of(keys.Certificate.NotBefore.ToUniversalTime()),
            WeChatTime.Of(keys.Certificate.NotAfter.ToUniversalTime()),
            new EncryptedResource
            {
                Algorithm = EncryptedResource.AeadAes256Gcm,
                Nonce = nonce,
                AssociatedData = "certificate",
                Ciphertext = request.Merchant.Cipher.Encrypt(keys.CertificatePem, nonce, "certificate"),
            });
        return WeChatPayResults.Ok(new CertificateList([entry]));
    }
}
