using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Crypto;

/// <summary>A sensitive field encrypted to a WeChat Pay key; send <see cref="Serial"/> as the request's Wechatpay-Serial.</summary>
public sealed record EncryptedField(string Ciphertext, string Serial);

/// <summary>
/// Encrypts sensitive request fields (e.g. payer.identity.name) to the WeChat Pay public key, or else to the newest
/// platform certificate, and decrypts fields WeChat Pay encrypted to the merchant certificate.
/// </summary>
public sealed class SensitiveFieldCipher(VerificationKeyStore keys, MerchantKey merchantKey)
{
    public EncryptedField Encrypt(string plaintext)
    {
        var key = keys.Preferred() ?? throw new InvalidOperationException(
            "No WeChat Pay public key or platform certificate is loaded to encrypt sensitive fields to.");
        return new EncryptedField(RsaOaep.Encrypt(key.PublicKey, plaintext), key.Serial);
    }

    public string Decrypt(string ciphertextBase64) => merchantKey.DecryptSensitiveField(ciphertextBase64);
}
