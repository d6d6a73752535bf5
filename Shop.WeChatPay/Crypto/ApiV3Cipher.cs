using System.Security.Cryptography;
using System.Text;

namespace Shop.WeChatPay.Crypto;

/// <summary>
/// AEAD_AES_256_GCM with the APIv3 key: key = UTF-8 bytes of the 32-char key, IV = UTF-8 bytes of the 12-char nonce
/// (text, not base64), AAD = UTF-8 bytes of associated_data, tag = the last 16 bytes of the decoded ciphertext.
/// Any authentication failure is a hard failure; a shorter tag is never accepted.
/// </summary>
public sealed class ApiV3Cipher
{
    public const int KeyBytes = 32;
    public const int TagBytes = 16;
    private const int NonceBytes = 12;

    private readonly byte[] _key;

    public ApiV3Cipher(string apiV3Key)
    {
        ArgumentNullException.ThrowIfNull(apiV3Key);
        var key = Encoding.UTF8.GetBytes(apiV3Key);
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"The APIv3 key must be exactly {KeyBytes} bytes of UTF-8 (got {key.Length}).", nameof(apiV3Key));
        }

        _key = key;
    }

    public bool TryDecrypt(EncryptedResource resource, out string plaintext)
    {
        ArgumentNullException.ThrowIfNull(resource);
        plaintext = "";
        return resource.Algorithm == EncryptedResource.AeadAes256Gcm
            && TryDecrypt(resource.Ciphertext, resource.Nonce, resource.AssociatedData, out plaintext);
    }

    public bool TryDecrypt(string ciphertextBase64, string nonce, string? associatedData, out string plaintext)
    {
        plaintext = "";
        var iv = Encoding.UTF8.GetBytes(nonce ?? "");
        if (iv.Length != NonceBytes || !TryFromBase64(ciphertextBase64, out var sealedBytes) || sealedBytes.Length < TagBytes)
        {
            return false;
        }

        var cipherLength = sealedBytes.Length - TagBytes;
        var output = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(iv, sealedBytes.AsSpan(0, cipherLength), sealedBytes.AsSpan(cipherLength),
                output, Encoding.UTF8.GetBytes(associatedData ?? ""));
            plaintext = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(output);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Encrypts in WeChat Pay's format; used to produce certificates/notifications in simulators and tests.</summary>
    public string Encrypt(string plaintext, string nonce, string? associatedData)
    {
        var iv = Encoding.UTF8.GetBytes(nonce);
        if (iv.Length != NonceBytes)
        {
            throw new ArgumentException($"The nonce must be {NonceBytes} UTF-8 bytes.", nameof(nonce));
        }

        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[data.Length + TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(iv, data, sealedBytes.AsSpan(0, data.Length), sealedBytes.AsSpan(data.Length), Encoding.UTF8.GetBytes(associatedData ?? ""));
        return Convert.ToBase64String(sealedBytes);
    }

    private static bool TryFromBase64(string value, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(value ?? "");
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
