using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Shop.Client.Payments;
using Shop.Tests.Infrastructure;
using Shop.Tests.WeChatPay.Simulator.Support;

namespace Shop.Tests.Payments;

/// <summary>
/// The real silo and API on PostgreSQL, configured as a merchant of the in-process WeChat Pay simulator: a fresh
/// merchant key and certificate, a fresh platform key (written to a file so tests can also sign notifications of
/// their own), jscode2session against the simulator, and reconciliation after a few seconds.
/// </summary>
public class PaymentsCluster : IAsyncLifetime
{
    public const string PublicKeyId = "PUB_KEY_ID_0114000000000000000000000000";
    public const string AppSecret = "shop-tests-app-secret";

    private readonly string _directory = Directory.CreateTempSubdirectory("shop-payments-").FullName;
    private SimulatorHost _simulator = null!;
    private NotifyRelay _relay = null!;

    public ShopTestCluster Cluster { get; private set; } = null!;

    internal MerchantIdentity Merchant { get; private set; } = null!;

    internal SimulatorControls Controls { get; private set; } = null!;

    public string PlatformPrivateKeyPath => Path.Combine(_directory, "platform_key.pem");

    public string PlatformPublicKeyPath => Path.Combine(_directory, "pub_key.pem");

    public Uri SimulatorUrl => _simulator.BaseUrl;

    /// <summary>What the simulator recorded (e.g. the prepay request exactly as WeChat Pay received it).</summary>
    internal Shop.WeChatPay.Simulator.Payments.SimulatorLedger SimulatorLedger =>
        _simulator.Services.GetRequiredService<Shop.WeChatPay.Simulator.Payments.SimulatorLedger>();

    public IPaymentsApi Anonymous => PaymentsApiClient.Create(Cluster.CreateClient());

    /// <summary>Settings a derived fixture adds (or overrides) on every host.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    /// <summary>Services a derived fixture adds (or replaces) on every host, silo and API, after their own.</summary>
    protected virtual void ConfigureHostServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        Merchant = MerchantIdentity.Create(_directory);
        using (var platform = RSA.Create(2048))
        {
            await File.WriteAllTextAsync(PlatformPrivateKeyPath, platform.ExportPkcs8PrivateKeyPem());
        }

        var simulator = SimulatorHost.Settings(Merchant, PlatformPublicKeyPath);
        simulator["Simulator:PublicKeyId"] = PublicKeyId;
        simulator["Simulator:PlatformPrivateKeyPath"] = PlatformPrivateKeyPath;
        simulator[$"Simulator:MiniProgramSecrets:{Merchant.AppId}"] = AppSecret;
        _simulator = await SimulatorHost.StartAsync(simulator);
        Controls = new SimulatorControls(_simulator.BaseUrl);
        _relay = await NotifyRelay.StartAsync();
        // A small pool, cleared at the end: the suite shares one PostgreSQL (max_connections) with many clusters.
        var database = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateAsync()) { MaxPoolSize = 20 }.ConnectionString;
        Cluster = await ShopTestCluster.StartAsync(connectionString: database, configure: c =>
        {
            foreach (var (key, value) in Settings(Merchant, _simulator.BaseUrl, _relay.NotifyUrl, PlatformPublicKeyPath))
            {
                c.Settings[key] = value;
            }

            c.Settings["Payments:ReconcileAfter:0"] = "00:00:03";
            c.Settings["Payments:ReconcileAfter:1"] = "00:00:08";
            foreach (var (key, value) in ExtraSettings)
            {
                c.Settings[key] = value;
            }
            c.ConfigureSiloServices = services =>
            {
                services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
                ConfigureHostServices(services);
            };
            c.ConfigureApiServices = ConfigureHostServices;
        });
        _relay.Target = Cluster.ApiAddress;
    }

    internal static Dictionary<string, string?> Settings(MerchantIdentity merchant, Uri simulator, Uri notifyUrl, string publicKeyPath) => new()
    {
        ["WeChatPay:MchId"] = merchant.MchId,
        ["WeChatPay:AppId"] = merchant.AppId,
        ["WeChatPay:MerchantPrivateKeyPath"] = merchant.PrivateKeyPath,
        ["WeChatPay:MerchantCertificateSerial"] = merchant.CertificateSerial,
        ["WeChatPay:ApiV3Key"] = merchant.ApiV3Key,
        ["WeChatPay:NotifyUrl"] = notifyUrl.ToString(),
        ["WeChatPay:BaseUrl"] = simulator.ToString(),
        ["WeChatPay:PublicKeyId"] = PublicKeyId,
        ["WeChatPay:PublicKeyPath"] = publicKeyPath,
        ["WeChatLogin:BaseUrl"] = simulator.ToString(),
        ["WeChatLogin:AppId"] = merchant.AppId,
        ["WeChatLogin:AppSecret"] = AppSecret,
    };

    /// <summary>Signs in through WeChat (code → simulator openid) and returns our token.</summary>
    public async Task<string> LoginAsync(string code)
    {
        var response = await Anonymous.WeChatLoginAsync(new WeChatLoginRequest(code));
        Assert.True(response.IsSuccessStatusCode, (response.Error as Refit.ApiException)?.Content);
        return response.Content!.AccessToken;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await using (var connection = new NpgsqlConnection(Cluster.ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await _relay.DisposeAsync();
        Controls.Dispose();
        await _simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PaymentsCollection : ICollectionFixture<PaymentsCluster>
{
    public const string Name = "payments";
}
