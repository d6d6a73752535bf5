using Shop.Tests.Infrastructure;
using Shop.WeChatPay.Simulator.Configuration;

namespace Shop.Tests.Cluster;

/// <summary>
/// The WeChat Pay simulator as a child process with a merchant made for this run (<see cref="LocalMerchant"/>, as
/// deploy/run-local.sh does), and the settings that make the silos and the API that merchant.
/// </summary>
public sealed class ProcessMerchant : IAsyncDisposable
{
    private readonly LocalMerchant _merchant;
    private ChildHost? _simulator;

    private ProcessMerchant(LocalMerchant merchant, Uri address, Uri notifyUrl)
    {
        _merchant = merchant;
        Address = address;
        SiloSettings = merchant.SiloSettings(address, notifyUrl);
        ApiSettings = merchant.ApiSettings(address);
    }

    public Uri Address { get; }

    public IReadOnlyDictionary<string, string> SiloSettings { get; }

    public IReadOnlyDictionary<string, string> ApiSettings { get; }

    public static async Task<ProcessMerchant> StartAsync(string logDirectory, Uri notifyUrl)
    {
        var merchant = await LaunchAsync(logDirectory, notifyUrl);
        try
        {
            await merchant.WaitReadyAsync();
            return merchant;
        }
        catch
        {
            await merchant.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes the merchant and starts the simulator without waiting for it (see <see cref="WaitReadyAsync"/>), so that the
    /// hosts that need its settings can start meanwhile.
    /// </summary>
    public static async Task<ProcessMerchant> LaunchAsync(string logDirectory, Uri notifyUrl)
    {
        var merchant = new ProcessMerchant(await LocalMerchant.CreateAsync("Shop failover test merchant", TimeSpan.FromDays(1)),
            new Uri($"http://127.0.0.1:{FreePorts.Next()}"), notifyUrl);
        try
        {
            var settings = merchant._merchant.SimulatorSettings();
            settings["Urls"] = merchant.Address.ToString();
            settings["Logging__LogLevel__Default"] = "Warning";
            // Re-deliveries of notifications the API failed to take come in seconds instead of WeChat Pay's 15 s.
            settings["Simulator__RetryTimeScale"] = "0.1";
            merchant._simulator = ChildHost.Start("simulator", "Shop.WeChatPay.Simulator", settings, logDirectory);
            return merchant;
        }
        catch
        {
            await merchant.DisposeAsync();
            throw;
        }
    }

    public Task WaitReadyAsync() => _simulator!.WaitReadyAsync(new Uri(Address, "/health/ready"), TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        _merchant.Dispose();
    }
}
