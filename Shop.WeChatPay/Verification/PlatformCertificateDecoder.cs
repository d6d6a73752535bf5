using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// Turns one /v3/certificates entry into a certificate. Successful AES-GCM decryption with our APIv3 key is what makes
/// a downloaded certificate trustworthy (the very first download cannot be signature-checked by anything else).
/// </summary>
public static class PlatformCertificateDecoder
{
    public static bool TryDecode(PlatformCertificateEntry entry, ApiV3Cipher cipher, out X509Certificate2? certificate, out string error)
    {
        certificate = null;
        if (entry.EncryptCertificate is not { } encrypted || !cipher.TryDecrypt(encrypted, out var pem))
        {
            error = $"certificate {entry.SerialNo} did not decrypt with the APIv3 key";
            return false;
        }

        try
        {
            certificate = X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            error = $"certificate {entry.SerialNo} is not a PEM certificate";
            return false;
        }

        if (!SameSerial(certificate.SerialNumber, entry.SerialNo))
        {
            certificate.Dispose();
            certificate = null;
            error = $"certificate serial does not match the listed serial_no {entry.SerialNo}";
            return false;
        }

        error = "";
        return true;
    }

    /// <summary>Compares hex serials by value: case and leading zero nibbles differ between SDKs.</summary>
    public static bool SameSerial(string a, string b) =>
        TryParseHex(a, out var x) && TryParseHex(b, out var y) && x == y;

    private static bool TryParseHex(string hex, out BigInteger value) =>
        BigInteger.TryParse("0" + hex, System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
}
