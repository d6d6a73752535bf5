using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Shop.Benchmarks.Hosts;

namespace Shop.Benchmarks.Payments;

/// <summary>
/// The silo and API as a merchant of the WeChat Pay simulator (started as a child process, as deploy/run-local.sh
/// does): a fresh merchant key and certificate and platform key in a temp folder, deleted at the end. The platform key
/// also lets the notify scenario sign notifications exactly as WeChat Pay would.
/// </summary>
public sealed class LocalMerchant : IAsyncDisposable
{
    public const string PublicKeyId = "PUB_KEY_ID_0199000000000000000000000000";
    private const string Alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly string _directory;
    private HostProcess? _simulator;

    private LocalMerchant(string directory) => _directory = directory;

    public string MchId { get; } = "19" + RandomNumberGenerator.GetString("0123456789", 8);

    public string AppId { get; } = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public string ApiV3Key { get; } = RandomNumberGenerator.GetString(Alphanumerics, 32);

    public string AppSecret { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public string PlatformPrivateKeyPem { get; private set; } = "";

    public IReadOnlyDictionary<string, string> SiloSettings { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> ApiSettings { get; private set; } = new Dictionary<string, string>();

    public static async Task<LocalMerchant> StartAsync(string logDirectory, Uri notifyUrl)
    {
        var merchant = new LocalMerchant(Directory.CreateTempSubdirectory("shop-bench-wechatpay-").FullName);
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
        string Path(string name) => System.IO.Path.Combine(_directory, name);
        using var merchantKey = RSA.Create(2048);
        var request = new CertificateRequest($"CN={MchId}, O=Shop benchmark merchant", merchantKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        await File.WriteAllTextAsync(Path("apiclient_key.pem"), merchantKey.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(Path("apiclient_cert.pem"), certificate.ExportCertificatePem());
        using (var platform = RSA.Create(2048))
        {
            PlatformPrivateKeyPem = platform.ExportPkcs8PrivateKeyPem();
            await File.WriteAllTextAsync(Path("platform_key.pem"), PlatformPrivateKeyPem);
        }

        var simulatorUrl = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        _simulator = HostProcess.Start("simulator", BuildOutput.Dll("Shop.WeChatPay.Simulator"), new Dictionary<string, string>
        {
            ["Urls"] = simulatorUrl.ToString(),
            ["Simulator__PublicKeyId"] = PublicKeyId,
            ["Simulator__PlatformPrivateKeyPath"] = Path("platform_key.pem"),
            ["Simulator__PlatformPublicKeyOutputPath"] = Path("pub_key.pem"),
            ["Simulator__Merchants__0__MchId"] = MchId,
            ["Simulator__Merchants__0__AppIds__0"] = AppId,
            ["Simulator__Merchants__0__ApiV3Key"] = ApiV3Key,
            ["Simulator__Merchants__0__KeyMode"] = "PublicKey",
            ["Simulator__Merchants__0__Certificates__0__Serial"] = certificate.SerialNumber,
            ["Simulator__Merchants__0__Certificates__0__PemPath"] = Path("apiclient_cert.pem"),
            [$"Simulator__MiniProgramSecrets__{AppId}"] = AppSecret,
        }, logDirectory);
        await _simulator.WaitReadyAsync(new Uri(simulatorUrl, "/health/ready"), TimeSpan.FromSeconds(60));
        SiloSettings = new Dictionary<string, string>
        {
            ["WeChatPay__MchId"] = MchId,
            ["WeChatPay__AppId"] = AppId,
            ["WeChatPay__MerchantPrivateKeyPath"] = Path("apiclient_key.pem"),
            ["WeChatPay__MerchantCertificateSerial"] = certificate.SerialNumber,
            ["WeChatPay__ApiV3Key"] = ApiV3Key,
            ["WeChatPay__PublicKeyId"] = PublicKeyId,
            ["WeChatPay__PublicKeyPath"] = Path("pub_key.pem"),
            ["WeChatPay__NotifyUrl"] = notifyUrl.ToString(),
            ["WeChatPay__BaseUrl"] = simulatorUrl.ToString(),
        };
        ApiSettings = new Dictionary<string, string>
        {
            ["WeChatPay__MchId"] = MchId,
            ["WeChatPay__AppId"] = AppId,
            ["WeChatLogin__BaseUrl"] = simulatorUrl.ToString(),
            ["WeChatLogin__AppId"] = AppId,
            ["WeChatLogin__AppSecret"] = AppSecret,
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
