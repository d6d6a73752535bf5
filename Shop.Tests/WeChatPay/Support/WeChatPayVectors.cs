using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay.Support;

/// <summary>Reads the copied vector files (throw-away test keys only) from the test output directory.</summary>
internal static class WeChatPayVectors
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "WeChatPay", "Vectors");

    public static string PathOf(string relative) => Path.Combine(Directory, relative);

    public static JsonElement File(string name) =>
        JsonDocument.Parse(System.IO.File.ReadAllText(PathOf(name))).RootElement;

    public static JsonElement Keys => File("keys.json");

    public static string MchId => Keys.GetProperty("mchid").GetString()!;

    public static string MerchantSerial => Keys.GetProperty("merchant").GetProperty("serial_no").GetString()!;

    public static string PlatformSerial => Keys.GetProperty("platform_certificate").GetProperty("serial").GetString()!;

    public static string PublicKeyId => Keys.GetProperty("wechatpay_public_key").GetProperty("public_key_id").GetString()!;

    public static string ApiV3Key => Keys.GetProperty("apiv3_key").GetString()!;

    public static string Pem(string relative) => System.IO.File.ReadAllText(PathOf(relative));

    public static IEnumerable<JsonElement> Cases(string file) => File(file).GetProperty("cases").EnumerateArray();

    public static JsonElement Case(string file, string name) =>
        Cases(file).Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> CaseNames(string file, Func<JsonElement, bool>? where = null)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(file).Where(c => where?.Invoke(c) ?? true))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    public static MerchantKey MerchantKey() => Shop.WeChatPay.Crypto.MerchantKey.FromPem(MchId, MerchantSerial, Pem("keys/merchant_private_key.pem"));

    public static RSA MerchantPublicKey() => PemKeys.ImportPublicKey(Pem("keys/merchant_public_key.pem"));

    public static RSA PlatformPrivateKey() => PemKeys.ImportPrivateKey(Pem("keys/platform_private_key.pem"));

    public static RSA WeChatPayPublicKeyPrivatePart() => PemKeys.ImportPrivateKey(Pem("keys/wxpaypub_private_key.pem"));

    public static FakeTimeProvider ClockAt(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    /// <summary>Builds a key store from a file's "key_store": certificates read from the certificate, ids from SPKI PEM.</summary>
    public static VerificationKeyStore KeyStore(string file, TimeProvider time)
    {
        var store = new VerificationKeyStore(time);
        foreach (var entry in File(file).GetProperty("key_store").EnumerateObject())
        {
            if (entry.Value.GetProperty("mode").GetString() == "platform_certificate")
            {
                using var certificate = X509Certificate2.CreateFromPem(Pem(entry.Value.GetProperty("certificate").GetString()!));
                store.AddCertificate(entry.Name, certificate);
            }
            else
            {
                store.AddPublicKey(entry.Name, PemKeys.ImportPublicKey(Pem(entry.Value.GetProperty("public_key").GetString()!)));
            }
        }

        return store;
    }

    public static SignatureHeaders Headers(JsonElement testCase) =>
        SignatureHeaders.From(testCase.GetProperty("headers").EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)));

    /// <summary>The exact body bytes: raw_body_base64 where the file has it, else UTF-8 of raw_body.</summary>
    public static byte[] RawBody(JsonElement testCase) =>
        testCase.TryGetProperty("raw_body_base64", out var b64)
            ? Convert.FromBase64String(b64.GetString()!)
            : Encoding.UTF8.GetBytes(testCase.GetProperty("raw_body").GetString()!);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
