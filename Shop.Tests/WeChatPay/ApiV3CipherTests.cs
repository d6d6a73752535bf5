using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay.Crypto;

namespace Shop.Tests.WeChatPay;

public sealed class ApiV3CipherTests
{
    private readonly ApiV3Cipher _cipher = new(WeChatPayVectors.ApiV3Key);

    [Fact]
    public void Encrypted_resource_round_trips_with_utf8_text()
    {
        var ciphertext = _cipher.Encrypt("""{"summary":"支付成功"}""", "Qm7xK2pL9vRt", "transaction");

        Assert.True(_cipher.TryDecrypt(ciphertext, "Qm7xK2pL9vRt", "transaction", out var plaintext));
        Assert.Equal("""{"summary":"支付成功"}""", plaintext);
    }

    [Theory]
    [InlineData("Qm7xK2pL9vR", "transaction")]
    [InlineData("Qm7xK2pL9vRtX", "transaction")]
    [InlineData("Qm7xK2pL9vRt", "")]
    [InlineData("Qm7xK2pL9vRt", null)]
    public void Wrong_nonce_or_associated_data_fails(string nonce, string? associatedData)
    {
        var ciphertext = _cipher.Encrypt("{}", "Qm7xK2pL9vRt", "transaction");

        Assert.False(_cipher.TryDecrypt(ciphertext, nonce, associatedData, out _));
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("")]
    public void Malformed_or_short_input_fails_without_throwing(string ciphertext) =>
        Assert.False(_cipher.TryDecrypt(ciphertext, "Qm7xK2pL9vRt", "transaction", out _));

    [Fact]
    public void Only_aead_aes_256_gcm_resources_are_decrypted()
    {
        var resource = new EncryptedResource
        {
            Algorithm = "AEAD_SM4_GCM", Nonce = "Qm7xK2pL9vRt", AssociatedData = "transaction",
            Ciphertext = _cipher.Encrypt("{}", "Qm7xK2pL9vRt", "transaction"),
        };

        Assert.False(_cipher.TryDecrypt(resource, out _));
        Assert.True(_cipher.TryDecrypt(resource with { Algorithm = EncryptedResource.AeadAes256Gcm }, out _));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("hs7N3Ed1wYrrVbSlMqbnQter1MtOF8HKx")]
    [InlineData("hs7N3Ed1wYrrVbSlMqbnQter1MtOF8H密")]
    public void Key_must_be_exactly_32_utf8_bytes(string key) =>
        Assert.Throws<ArgumentException>(() => new ApiV3Cipher(key));
}
