using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Cluster;

/// <summary>
/// The WeChat Pay simulator as a child process, with a merchant made for this run (as deploy/run-local.sh does): a
/// fresh merchant key, certificate and platform key in a temp folder, and the settings that make the silos and the
/// API that merchant.
/// </summary>
public sealed class ProcessMerchant : IAsyncDisposable
{
    private const string PublicKeyId = "PUB_KEY_ID_0199000000000000000000000000";
    private const string Alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly string _directory = Directory.CreateTempSubdirectory("shop-failover-wechatpay-").FullName;
    private ChildHost? _simulator;

    public string MchId { get; } = "19" + RandomNumberGenerator.GetString("0123456789", 8);

    public string AppId { get; } = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public Uri Address { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> SiloSettings { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> ApiSettings { get; private set; } = new Dictionary<string, string>();

    public static async Task<ProcessMerchant> StartAsync(string logDirectory, Uri notifyUrl)
    {
        var merchant = new ProcessMerchant();
        try
        {
            await merchant.StartSimulatorAsync(logDirectory, notifyUrl);
            return merchant;
        }
        catch
        {
            await merchant.DisposeAsync();
            throw;
        }
    }

    private async Task StartSimulatorAsync(string logDirectory, Uri notifyUrl)
    {
        string File(string name) => Path.Combine(_directory, name);
        var apiV3Key = RandomNumberGenerator.GetString(Alphanumerics, 32);
        var appSecret = RandomNumberGenerator.GetHexString(32, lowercase: true);
        using var merchantKey = RSA.Create(2048);
        var request = new CertificateRequest($"CN={MchId}, O=Shop failover test merchant", merchantKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await System.IO.File.WriteAllTextAsync(File("apiclient_key.pem"), merchantKey.ExportPkcs8PrivateKeyPem());
        await System.IO.File.WriteAllTextAsync(File("apiclient_cert.pem"), certificate.ExportCertificatePem());
        using (var platform = RSA.Create(2048))
        {
            await System.IO.File.WriteAllTextAsync(File("platform_key.pem"), platform.ExportPkcs8PrivateKeyPem());
        }

        Address = new Uri($"http://127.0.0.1:{PostgresServer.FreePort()}");
        _simulator = ChildHost.Start("simulator", "Shop.WeChatPay.Simulator", new Dictionary<string, string>
        {
            ["Urls"] = Address.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Simulator__PublicKeyId"] = PublicKeyId,
            ["Simulator__PlatformPrivateKeyPath"] = File("platform_key.pem"),
            ["Simulator__PlatformPublicKeyOutputPath"] = File("pub_key.pem"),
            // Re-deliveries of notifications the API failed to take come in seconds instead of WeChat Pay's 15 s.
            ["Simulator__RetryTimeScale"] = "0.1",
            ["Simulator__Merchants__0__MchId"] = MchId,
            ["Simulator__Merchants__0__AppIds__0"] = AppId,
            ["Simulator__Merchants__0__ApiV3Key"] = apiV3Key,
            ["Simulator__Merchants__0__KeyMode"] = "PublicKey",
            ["Simulator__Merchants__0__Certificates__0__Serial"] = certificate.SerialNumber,
            ["Simulator__Merchants__0__Certificates__0__PemPath"] = File("apiclient_cert.pem"),
            [$"Simulator__MiniProgramSecrets__{AppId}"] = appSecret,
        }, logDirectory);
        await _simulator.WaitReadyAsync(new Uri(Address, "/health/ready"), TimeSpan.FromSeconds(60));
        SiloSettings = new Dictionary<string, string>
        {
            ["WeChatPay__MchId"] = MchId,
            ["WeChatPay__AppId"] = AppId,
            ["WeChatPay__MerchantPrivateKeyPath"] = File("apiclient_key.pem"),
            ["WeChatPay__MerchantCertificateSerial"] = certificate.SerialNumber,
            ["WeChatPay__ApiV3Key"] = apiV3Key,
            ["WeChatPay__PublicKeyId"] = PublicKeyId,
            ["WeChatPay__PublicKeyPath"] = File("pub_key.pem"),
            ["WeChatPay__NotifyUrl"] = notifyUrl.ToString(),
            ["WeChatPay__BaseUrl"] = Address.ToString(),
        };
        ApiSettings = new Dictionary<string, string>
        {
            ["WeChatPay__MchId"] = MchId,
            ["WeChatPay__AppId"] = AppId,
            ["WeChatLogin__BaseUrl"] = Address.ToString(),
            ["WeChatLogin__AppId"] = AppId,
            ["WeChatLogin__AppSecret"] = appSecret,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
