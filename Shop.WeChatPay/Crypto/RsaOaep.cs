using System.Security.Cryptography;
using System.Text;

namespace Shop.WeChatPay.Crypto;

/// <summary>
/// Sensitive-field encryption: RSA-OAEP with SHA-1 and MGF1-SHA-1, empty label, base64. WeChat Pay does not
/// understand OAEP-SHA256, so the padding is fixed here rather than left to callers.
/// </summary>
public static class RsaOaep
{
    private static readonly RSAEncryptionPadding Padding = RSAEncryptionPadding.OaepSHA1;

    public static string Encrypt(RSA publicKey, string plaintext)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(plaintext);
        return Convert.ToBase64String(publicKey.Encrypt(Encoding.UTF8.GetBytes(plaintext), Padding));
    }

    public static string Decrypt(RSA privateKey, string ciphertextBase64)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        byte[] ciphertext;
        try
        {
            ciphertext = Convert.FromBase64String(ciphertextBase64);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The encrypted field is not valid base64.", ex);
        }

        return Encoding.UTF8.GetString(privateKey.Decrypt(ciphertext, Padding));
    }
}
