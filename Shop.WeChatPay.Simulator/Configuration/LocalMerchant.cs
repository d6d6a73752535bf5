using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shop.WeChatPay.Simulator.Configuration;

/// <summary>
/// A merchant of this simulator made for one local run, as <c>deploy/run-local.sh</c> makes one with openssl: a fresh
/// merchant API key and self-signed certificate, a platform key, random mchid, appid, APIv3 key and mini-program
/// AppSecret, the key files in a temp folder (deleted at dispose), and the settings that make the simulator, the silo
/// and the API agree on them. Whatever starts the three processes (the tests' and the benchmark's harnesses) uses this.
/// </summary>
public sealed class LocalMerchant : IDisposable
{
    public const string PublicKeyId = "PUB_KEY_ID_0199000000000000000000000000";
    private const string Alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private LocalMerchant(string directory, string mchId, string certificateSerial, string platformPrivateKeyPem)
    {
        Directory = directory;
        MchId = mchId;
        CertificateSerial = certificateSerial;
        PlatformPrivateKeyPem = platformPrivateKeyPem;
    }

    /// <summary>Where the key files are: <c>apiclient_key.pem</c>, <c>apiclient_cert.pem</c>, <c>platform_key.pem</c>, and the simulator's <c>pub_key.pem</c>.</summary>
    public string Directory { get; }

    public string MchId { get; }

    public string AppId { get; } = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public string ApiV3Key { get; } = RandomNumberGenerator.GetString(Alphanumerics, 32);

    public string AppSecret { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public string CertificateSerial { get; }

    /// <summary>WeChat Pay's side of the signatures: lets a caller sign notifications exactly as the platform would.</summary>
    public string PlatformPrivateKeyPem { get; }

    /// <param name="organization">The certificate's O=, naming who made it (a test, the benchmark).</param>
    public static async Task<LocalMerchant> CreateAsync(string organization, TimeSpan validFor)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("shop-local-merchant-").FullName;
        var mchId = "19" + RandomNumberGenerator.GetString("0123456789", 8);
        try
        {
            using var merchantKey = RSA.Create(2048);
            using var platform = RSA.Create(2048);
            var request = new CertificateRequest($"CN={mchId}, O={organization}", merchantKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow + validFor);
            var platformPem = platform.ExportPkcs8PrivateKeyPem();
            await System.IO.File.WriteAllTextAsync(Path.Combine(directory, "apiclient_key.pem"), merchantKey.ExportPkcs8PrivateKeyPem());
            await System.IO.File.WriteAllTextAsync(Path.Combine(directory, "apiclient_cert.pem"), certificate.ExportCertificatePem());
            await System.IO.File.WriteAllTextAsync(Path.Combine(directory, "platform_key.pem"), platformPem);
            return new LocalMerchant(directory, mchId, certificate.SerialNumber, platformPem);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The simulator's environment (besides its <c>Urls</c>): this merchant, in public-key mode.</summary>
    public Dictionary<string, string> SimulatorSettings() => new()
    {
        ["Simulator__PublicKeyId"] = PublicKeyId,
        ["Simulator__PlatformPrivateKeyPath"] = File("platform_key.pem"),
        ["Simulator__PlatformPublicKeyOutputPath"] = File("pub_key.pem"),
        ["Simulator__Merchants__0__MchId"] = MchId,
        ["Simulator__Merchants__0__AppIds__0"] = AppId,
        ["Simulator__Merchants__0__ApiV3Key"] = ApiV3Key,
        ["Simulator__Merchants__0__KeyMode"] = "PublicKey",
        ["Simulator__Merchants__0__Certificates__0__Serial"] = CertificateSerial,
        ["Simulator__Merchants__0__Certificates__0__PemPath"] = File("apiclient_cert.pem"),
        [$"Simulator__MiniProgramSecrets__{AppId}"] = AppSecret,
    };

    /// <summary>The silo's: WeChat Pay at <paramref name="simulator"/>, notifications to <paramref name="notifyUrl"/>.</summary>
    public Dictionary<string, string> SiloSettings(Uri simulator, Uri notifyUrl) => new()
    {
        ["WeChatPay__MchId"] = MchId,
        ["WeChatPay__AppId"] = AppId,
        ["WeChatPay__MerchantPrivateKeyPath"] = File("apiclient_key.pem"),
        ["WeChatPay__MerchantCertificateSerial"] = CertificateSerial,
        ["WeChatPay__ApiV3Key"] = ApiV3Key,
        ["WeChatPay__PublicKeyId"] = PublicKeyId,
        ["WeChatPay__PublicKeyPath"] = File("pub_key.pem"),
        ["WeChatPay__NotifyUrl"] = notifyUrl.ToString(),
        ["WeChatPay__BaseUrl"] = simulator.ToString(),
    };

    /// <summary>The API's: the merchant id it checks notifications against, and mini-program login at the simulator.</summary>
    public Dictionary<string, string> ApiSettings(Uri simulator) => new()
    {
        ["WeChatPay__MchId"] = MchId,
        ["WeChatPay__AppId"] = AppId,
        ["WeChatLogin__BaseUrl"] = simulator.ToString(),
        ["WeChatLogin__AppId"] = AppId,
        ["WeChatLogin__AppSecret"] = AppSecret,
    };

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }

    private string File(string name) => Path.Combine(Directory, name);
}
