using System.Text.Json.Serialization;

namespace Shop.WeChatPay.Crypto;

/// <summary>
/// An AEAD_AES_256_GCM payload as WeChat Pay sends it: a notification's <c>resource</c> or a downloaded certificate's
/// <c>encrypt_certificate</c>.
/// </summary>
public sealed record EncryptedResource
{
    public const string AeadAes256Gcm = "AEAD_AES_256_GCM";

    [JsonPropertyName("algorithm")]
    public string Algorithm { get; init; } = "";

    [JsonPropertyName("ciphertext")]
    public string Ciphertext { get; init; } = "";

    [JsonPropertyName("nonce")]
    public string Nonce { get; init; } = "";

    [JsonPropertyName("associated_data")]
    public string? AssociatedData { get; init; }

    /// <summary>Only on notifications: <c>transaction</c> or <c>refund</c>.</summary>
    [JsonPropertyName("original_type")]
    public string? OriginalType { get; init; }
}
