using System.Net.Http.Headers;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Cluster;

/// <summary>
/// A production-shaped deployment on loopback, every host a child process from its built dll: silos on PostgreSQL (a
/// fresh database of the test server), one API, and the WeChat Pay simulator (or silos alone). Silos can be killed,
/// stopped and replaced while the API keeps serving; disposing stops everything that is still running. The one
/// process harness of the tests (the benchmark tool has its own, see Shop.Benchmarks/Hosts/HostProcess.cs).
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly List<ChildHost> _owned = [];
    private readonly Dictionary<string, string> _common;
    private readonly IReadOnlyDictionary<string, string> _siloSettings;
    private readonly List<ClusterSilo> _silos = [];
    private int _siloCount;
    private int _apiRestarts;
    private bool _keepLogs;

    private readonly ProcessMerchant? _merchant;

    private ProcessCluster(string database, string clusterId, string logDirectory, Uri apiAddress, ProcessMerchant? merchant,
        Dictionary<string, string> common, IReadOnlyDictionary<string, string> siloSettings)
    {
        Database = database;
        ClusterId = clusterId;
        LogDirectory = logDirectory;
        ApiAddress = apiAddress;
        _merchant = merchant;
        _common = common;
        _siloSettings = siloSettings;
    }

    public string Database { get; }

    public string ClusterId { get; }

    public string LogDirectory { get; }

    public Uri ApiAddress { get; }

    public ProcessMerchant Merchant => _merchant ?? throw new InvalidOperationException("This cluster was started without payments.");

    public ChildHost Api { get; private set; } = null!;

    /// <summary>The silos started so far, the stopped and killed ones included (see <see cref="ChildHost.HasExited"/>).</summary>
    public IReadOnlyList<ClusterSilo> Silos => _silos;

    /// <param name="settings">Configuration for every silo and the API (e.g. a short payment timeout).</param>
    /// <param name="withApi">False: silos only (no simulator, no API), e.g. to watch the membership table.</param>
    public static async Task<ProcessCluster> StartAsync(int silos, IReadOnlyDictionary<string, string> settings, bool withApi = true)
    {
        // Migrated already (a copy of the template): every silo can start at once, none has to build the schema first.
        var database = await TestDatabase.CreateMigratedAsync("failover");
        var logs = Directory.CreateTempSubdirectory("shop-failover-logs-").FullName;
        var apiAddress = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        // The simulator starts beside the silos; only the API needs it to answer.
        var merchant = withApi ? await ProcessMerchant.LaunchAsync(logs, new Uri(apiAddress, "/api/payments/wechat/notify")) : null;
        var clusterId = "failover-" + Guid.NewGuid().ToString("N")[..8];
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Shop"] = database,
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
            ["Auth__SigningKey"] = TestTokens.SigningKey,
            ["Auth__Issuer"] = TestTokens.Issuer,
            ["Auth__Audience"] = TestTokens.Audience,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            common[key] = value;
        }

        var siloSettings = new Dictionary<string, string>(merchant?.SiloSettings ?? new Dictionary<string, string>())
        {
            ["Orders__NumberKey"] = TestTokens.OrderNumberKey,
            ["Orders__PersonalDataActiveKeyId"] = "test",
            ["Orders__PersonalDataKeys__test"] = TestTokens.PersonalDataKey,
        };
        var cluster = new ProcessCluster(database, clusterId, logs, apiAddress, merchant, common, siloSettings);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => cluster.StartSiloAsync()).Append(merchant?.WaitReadyAsync() ?? Task.CompletedTask));
            if (withApi)
            {
                await cluster.StartApiAsync();
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ClusterSilo> StartSiloAsync()
    {
        var number = Interlocked.Increment(ref _siloCount);
        var http = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        var siloPort = FreePorts.Next();
        var host = ChildHost.Start($"silo{number}", "Shop.Silo", new Dictionary<string, string>(_common)
        {
            ["Urls"] = http.ToString(),
            ["Orleans__SiloPort"] = siloPort.ToString(),
            ["Orleans__GatewayPort"] = FreePorts.Next().ToString(),
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
        }.With(_siloSettings), LogDirectory);
        var silo = new ClusterSilo(host, http, siloPort);
        lock (_owned)
        {
            _owned.Add(host);
            _silos.Add(silo);
        }

        await host.WaitReadyAsync(new Uri(http, "/health/ready"), TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>Starts the API (again, after it was stopped) on its address.</summary>
    public async Task StartApiAsync()
    {
        // A restarted API logs beside the first one, not over it.
        Api = ChildHost.Start(Api is null ? "api" : $"api{++_apiRestarts + 1}", "Shop.Api", new Dictionary<string, string>(_common)
        {
            ["Urls"] = ApiAddress.ToString(),
            // One caller per customer: the limiter's defaults are for a storefront, not a load generator.
            ["RateLimiting__Reads__PermitLimit"] = "100000000",
            ["RateLimiting__Writes__PermitLimit"] = "100000000",
        }.With(Merchant.ApiSettings), LogDirectory);
        lock (_owned)
        {
            _owned.Add(Api);
        }

        await Api.WaitReadyAsync(new Uri(ApiAddress, "/health/ready"), TimeSpan.FromSeconds(90));
    }

    public HttpClient CreateClient(string? token = null, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.BaseAddress = ApiAddress;
        client.Timeout = TimeSpan.FromSeconds(30);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>
    /// For a failure message: every host's errors (at most 5 each) and the tail of its log; the log folder is then kept
    /// for a closer look instead of being deleted.
    /// </summary>
    public string Logs()
    {
        _keepLogs = true;
        lock (_owned)
        {
            return string.Join(Environment.NewLine, _owned.Select(h => $"--- {h.Name} ({h.LogPath}){Environment.NewLine}" +
                string.Join(Environment.NewLine, File.ReadLines(h.LogPath).Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal))
                    .Take(5).Select(l => l[..Math.Min(l.Length, 1500)])) + $"{Environment.NewLine}...{Environment.NewLine}{h.Tail(5)}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ChildHost> hosts;
        lock (_owned)
        {
            hosts = [.. _owned];
        }

        // The API first, so nothing is sent to silos that are going; then the silos and the simulator.
        foreach (var host in hosts.OrderBy(h => h == Api ? 0 : 1))
        {
            await host.DisposeAsync();
        }

        if (_merchant is not null)
        {
            await _merchant.DisposeAsync();
        }

        if (!_keepLogs)
        {
            try { Directory.Delete(LogDirectory, recursive: true); }
            catch (IOException) { }
        }
    }
}

/// <param name="SiloPort">Its silo-to-silo port: how the membership table names it.</param>
public sealed record ClusterSilo(ChildHost Host, Uri HttpAddress, int SiloPort);

internal static class SettingsExtensions
{
    public static Dictionary<string, string> With(this Dictionary<string, string> settings, IReadOnlyDictionary<string, string> more)
    {
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}
