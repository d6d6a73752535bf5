using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shop.WeChatPay.Crypto;

namespace Shop.Benchmarks.Payments;

/// <summary>
/// A TRANSACTION.SUCCESS notification as WeChat Pay sends it: the transaction encrypted with the merchant's APIv3 key
/// (AEAD_AES_256_GCM), the body signed with the platform key (WECHATPAY2-SHA256-RSA2048). Made before the clock starts,
/// so the measured cost is the API's: verify, decrypt, mark paid.
/// </summary>
public sealed record SignedNotification(string Body, IReadOnlyDictionary<string, string> Headers)
{
    private static string Now => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static SignedNotification PaymentSucceeded(LocalMerchant merchant, RSA platformKey, string orderNo, string transactionId, long totalFen)
    {
        var transaction = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mchid"] = merchant.MchId,
            ["appid"] = merchant.AppId,
            ["out_trade_no"] = orderNo,
            ["transaction_id"] = transactionId,
            ["trade_type"] = "JSAPI",
            ["trade_state"] = "SUCCESS",
            ["trade_state_desc"] = "支付成功",
            ["bank_type"] = "OTHERS",
            ["success_time"] = Now,
            ["payer"] = new Dictionary<string, string> { ["openid"] = "oBenchmarkPayer0000000000001" },
            ["amount"] = new Dictionary<string, object> { ["total"] = totalFen, ["payer_total"] = totalFen, ["currency"] = "CNY", ["payer_currency"] = "CNY" },
        });
        var nonce = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["create_time"] = Now,
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = "TRANSACTION.SUCCESS",
            ["summary"] = "支付成功",
            ["resource"] = new Dictionary<string, string>
            {
                ["original_type"] = "transaction",
                ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = new ApiV3Cipher(merchant.ApiV3Key).Encrypt(transaction, nonce, "transaction"),
                ["associated_data"] = "transaction",
                ["nonce"] = nonce,
            },
        });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signatureNonce = Guid.NewGuid().ToString("N");
        var signature = platformKey.SignData(Encoding.UTF8.GetBytes($"{timestamp}\n{signatureNonce}\n{body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new SignedNotification(body, new Dictionary<string, string>
        {
            ["Wechatpay-Timestamp"] = timestamp,
            ["Wechatpay-Nonce"] = signatureNonce,
            ["Wechatpay-Signature"] = Convert.ToBase64String(signature),
            ["Wechatpay-Serial"] = LocalMerchant.PublicKeyId,
            ["Wechatpay-Signature-Type"] = "WECHATPAY2-SHA256-RSA2048",
        });
    }

    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/wechat/notify") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
