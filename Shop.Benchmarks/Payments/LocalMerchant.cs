using Shop.Benchmarks.Hosts;
using Merchant = Shop.WeChatPay.Simulator.Configuration.LocalMerchant;

namespace Shop.Benchmarks.Payments;

/// <summary>
/// The silo and API as a merchant of the WeChat Pay simulator (started as a child process, as deploy/run-local.sh
/// does), the merchant made by the simulator's own <see cref="Merchant"/> and deleted at the end. The platform key
/// also lets the notify scenario sign notifications exactly as WeChat Pay would.
/// </summary>
public sealed class LocalMerchant : IAsyncDisposable
{
    public const string PublicKeyId = Merchant.PublicKeyId;

    private readonly Merchant _merchant;
    private HostProcess? _simulator;

    private LocalMerchant(Merchant merchant, Uri simulator, Uri notifyUrl)
    {
        _merchant = merchant;
        SimulatorAddress = simulator;
        SiloSettings = merchant.SiloSettings(simulator, notifyUrl);
        ApiSettings = merchant.ApiSettings(simulator);
    }

    public string MchId => _merchant.MchId;

    public string AppId => _merchant.AppId;

    public string ApiV3Key => _merchant.ApiV3Key;

    public string PlatformPrivateKeyPem => _merchant.PlatformPrivateKeyPem;

    public Uri SimulatorAddress { get; }

    public IReadOnlyDictionary<string, string> SiloSettings { get; }

    public IReadOnlyDictionary<string, string> ApiSettings { get; }

    public static async Task<LocalMerchant> StartAsync(string logDirectory, Uri notifyUrl)
    {
        var merchant = new LocalMerchant(await Merchant.CreateAsync("Shop benchmark merchant", TimeSpan.FromDays(30)),
            new Uri($"http://127.0.0.1:{FreePorts.Next()}"), notifyUrl);
        try
        {
            var settings = merchant._merchant.SimulatorSettings();
            settings["Urls"] = merchant.SimulatorAddress.ToString();
            merchant._simulator = HostProcess.Start("simulator", BuildOutput.Dll("Shop.WeChatPay.Simulator"), settings, logDirectory);
            await merchant._simulator.WaitReadyAsync(new Uri(merchant.SimulatorAddress, "/health/ready"), TimeSpan.FromSeconds(60));
            return merchant;
        }
        catch
        {
            await merchant.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        _merchant.Dispose();
    }
}
