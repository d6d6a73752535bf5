using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shop.WeChatPay.Crypto;

namespace Shop.Tests.Payments;

/// <summary>
/// A notification built by the test: encrypted with the merchant's APIv3 key and signed with a chosen key, serial and
/// time, so each check of the notify route can be failed on its own (and passed, as a control).
/// </summary>
internal sealed record CraftedNotification(string Body, IReadOnlyDictionary<string, string> Headers)
{
    public static string TransactionJson(string mchId, string appId, string outTradeNo, string transactionId, long total) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mchid"] = mchId,
            ["appid"] = appId,
            ["out_trade_no"] = outTradeNo,
            ["transaction_id"] = transactionId,
            ["trade_type"] = "JSAPI",
            ["trade_state"] = "SUCCESS",
            ["trade_state_desc"] = "支付成功",
            ["bank_type"] = "OTHERS",
            ["success_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            ["payer"] = new Dictionary<string, string> { ["openid"] = "oCraftedPayer000000000000001" },
            ["amount"] = new Dictionary<string, object> { ["total"] = total, ["payer_total"] = total, ["currency"] = "CNY", ["payer_currency"] = "CNY" },
        });

    public static string Envelope(string apiV3Key, string resourceJson, Func<string, string>? tamperCiphertext = null)
    {
        var nonce = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        var ciphertext = new ApiV3Cipher(apiV3Key).Encrypt(resourceJson, nonce, "transaction");
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["create_time"] = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = "TRANSACTION.SUCCESS",
            ["summary"] = "支付成功",
            ["resource"] = new Dictionary<string, string>
            {
                ["original_type"] = "transaction",
                ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = tamperCiphertext is null ? ciphertext : tamperCiphertext(ciphertext),
                ["associated_data"] = "transaction",
                ["nonce"] = nonce,
            },
        });
    }

    public static CraftedNotification Sign(string body, string signingKeyPem, string serial, DateTimeOffset? at = null)
    {
        using var key = RSA.Create();
        key.ImportFromPem(signingKeyPem);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = Guid.NewGuid().ToString("N");
        var signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n{body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return new CraftedNotification(body, new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = timestamp,
            ["Wechatpay-Nonce"] = nonce,
            ["Wechatpay-Signature"] = signature,
            ["Wechatpay-Serial"] = serial,
            ["Wechatpay-Signature-Type"] = "WECHATPAY2-SHA256-RSA2048",
        });
    }
}
