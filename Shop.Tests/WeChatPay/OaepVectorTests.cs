using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>oaep.json: RSA-OAEP(SHA-1) decryption known answers, plus encrypt round trips through the key store.</summary>
public sealed class OaepVectorTests
{
    private const string File = "oaep.json";

    public static TheoryData<string> Cases => WeChatPayVectors.CaseNames(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Known_ciphertext_decrypts_to_the_plaintext(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        using var privateKey = PemKeys.ImportPrivateKey(WeChatPayVectors.Pem(c.Str("private_key_for_test")));

        Assert.Equal(c.Str("plaintext"), RsaOaep.Decrypt(privateKey, c.Str("ciphertext")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encrypting_to_the_public_key_round_trips_and_is_not_oaep_sha256(string name)
    {
        var c = WeChatPayVectors.Case(File, name);
        using var publicKey = PemKeys.ImportPublicKey(WeChatPayVectors.Pem(c.Str("public_key")));
        using var privateKey = PemKeys.ImportPrivateKey(WeChatPayVectors.Pem(c.Str("private_key_for_test")));

        var ciphertext = RsaOaep.Encrypt(publicKey, c.Str("plaintext"));

        Assert.Equal(c.Str("plaintext"), RsaOaep.Decrypt(privateKey, ciphertext));
        Assert.ThrowsAny<CryptographicException>(() => privateKey.Decrypt(Convert.FromBase64String(ciphertext), RSAEncryptionPadding.OaepSHA256));
    }

    [Fact]
    public void Sensitive_fields_go_to_the_public_key_when_configured_and_name_its_id()
    {
        var clock = WeChatPayVectors.ClockAt(1748736000);
        var store = new VerificationKeyStore(clock);
        using (var certificate = X509Certificate2.CreateFromPem(WeChatPayVectors.Pem("keys/platform_cert.pem")))
        {
            store.AddCertificate(WeChatPayVectors.PlatformSerial, certificate);
        }

        using var merchant = WeChatPayVectors.MerchantKey();
        var cipher = new SensitiveFieldCipher(store, merchant);
        var toCertificate = cipher.Encrypt("张三");
        store.AddPublicKey(WeChatPayVectors.PublicKeyId, PemKeys.ImportPublicKey(WeChatPayVectors.Pem("keys/wxpaypub_public_key.pem")));
        var toPublicKey = cipher.Encrypt("张三");

        Assert.Equal(WeChatPayVectors.PlatformSerial, toCertificate.Serial);
        using var platformPrivate = WeChatPayVectors.PlatformPrivateKey();
        Assert.Equal("张三", RsaOaep.Decrypt(platformPrivate, toCertificate.Ciphertext));
        Assert.Equal(WeChatPayVectors.PublicKeyId, toPublicKey.Serial);
        using var wxPayPrivate = WeChatPayVectors.WeChatPayPublicKeyPrivatePart();
        Assert.Equal("张三", RsaOaep.Decrypt(wxPayPrivate, toPublicKey.Ciphertext));
    }

    [Fact]
    public void Fields_encrypted_to_the_merchant_certificate_decrypt_with_the_merchant_key()
    {
        using var merchant = WeChatPayVectors.MerchantKey();
        using var merchantPublic = WeChatPayVectors.MerchantPublicKey();
        var cipher = new SensitiveFieldCipher(new VerificationKeyStore(TimeProvider.System), merchant);

        Assert.Equal("110101199003070011", cipher.Decrypt(RsaOaep.Encrypt(merchantPublic, "110101199003070011")));
        Assert.Throws<InvalidOperationException>(() => cipher.Encrypt("no key loaded"));
    }
}
