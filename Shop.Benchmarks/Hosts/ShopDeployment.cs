using System.Net.Http.Headers;
using System.Security.Cryptography;
using Shop.Benchmarks.Cli;
using Shop.Benchmarks.Payments;
using Shop.Benchmarks.Postgres;

namespace Shop.Benchmarks.Hosts;

/// <summary>
/// What the scenarios drive: by default the built Shop.Silo and Shop.Api started as child processes on free ports
/// (plus the WeChat Pay simulator, for payment notifications) against a fresh database; with <c>--url</c> an already
/// running deployment.
/// </summary>
public sealed class ShopDeployment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly SocketsHttpHandler _handler = new() { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
    private GrainClient? _grains;

    public required Uri ApiAddress { get; init; }

    /// <summary>The deployment's database: audits, statement counts and the Orleans client need it (null: API only).</summary>
    public string? Database { get; init; }

    public string ClusterId { get; init; } = "shop";

    public string ServiceId { get; init; } = "shop";

    /// <summary>The silo's HTTP address (its <c>/metrics</c>); null for <c>--url</c>.</summary>
    public Uri? SiloAddress { get; private init; }

    public HostProcess? Silo { get; private init; }

    public HostProcess? Api { get; private set; }

    public LocalMerchant? Payments { get; private init; }

    public BenchmarkTokens Tokens { get; private set; } = null!;

    public static async Task<ShopDeployment> StartAsync(PostgresTarget postgres, string logDirectory)
    {
        var database = await postgres.CreateDatabaseAsync("shop_bench");
        var signingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var (siloHttp, siloPort, gatewayPort, apiHttp) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Shop"] = database,
            ["Orleans__ClusterId"] = "bench",
            ["Orleans__ServiceId"] = "bench",
            ["Orleans__GatewayPort"] = gatewayPort.ToString(),
            ["Auth__SigningKey"] = signingKey,
        };
        var merchant = await LocalMerchant.StartAsync(logDirectory, new Uri($"http://127.0.0.1:{apiHttp}/api/payments/wechat/notify"));
        var silo = HostProcess.Start("silo", BuildOutput.Dll("Shop.Silo"), new Dictionary<string, string>(common)
        {
            ["Urls"] = $"http://127.0.0.1:{siloHttp}",
            ["Orleans__SiloPort"] = siloPort.ToString(),
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
            ["Orders__NumberKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)),
            ["Orders__PersonalDataActiveKeyId"] = "bench",
            ["Orders__PersonalDataKeys__bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            // Each benchmark customer holds thousands of unpaid orders: the hoarding checks run (and cost what they cost)
            // but never refuse.
            // The tool audits after every scenario itself; a periodic full audit during a measurement would be counted as
            // the cost of the orders (it reads the whole stock log).
            ["Audit__StockInterval"] = "00:00:00",
            ["Hoarding__MaxUnpaidOrders"] = "100000000",
            ["Hoarding__MaxUnpaidUnitsPerSku"] = "100000000",
        }.With(merchant.SiloSettings), logDirectory);
        var deployment = new ShopDeployment
        {
            ApiAddress = new Uri($"http://127.0.0.1:{apiHttp}"),
            Database = database,
            ClusterId = "bench",
            ServiceId = "bench",
            SiloAddress = new Uri($"http://127.0.0.1:{siloHttp}"),
            Silo = silo,
            Payments = merchant,
        };
        deployment._owned.Add(merchant);
        deployment._owned.Add(silo);
        await silo.WaitReadyAsync(new Uri(deployment.SiloAddress, "/health/ready"), TimeSpan.FromSeconds(120));
        var api = HostProcess.Start("api", BuildOutput.Dll("Shop.Api"), new Dictionary<string, string>(common)
        {
            ["Urls"] = deployment.ApiAddress.ToString(),
            // The limiter guards a storefront against one abusive caller; a load generator is one caller per customer.
            ["RateLimiting__Reads__PermitLimit"] = "100000000",
            ["RateLimiting__Writes__PermitLimit"] = "100000000",
        }.With(merchant.ApiSettings), logDirectory);
        deployment._owned.Insert(0, api);
        deployment.Api = api;
        await api.WaitReadyAsync(new Uri(deployment.ApiAddress, "/health/ready"), TimeSpan.FromSeconds(120));
        deployment.Tokens = BenchmarkTokens.WithKey(signingKey, deployment.Http());
        return deployment;
    }

    /// <summary><c>--url</c>: someone else's hosts; tokens from <c>--signing-key</c> or the Development token route.</summary>
    public static ShopDeployment Connect(BenchmarkOptions options)
    {
        var deployment = new ShopDeployment
        {
            ApiAddress = options.Url!, Database = options.Database, ClusterId = options.ClusterId, ServiceId = options.ServiceId,
        };
        deployment.Tokens = options.SigningKey is { } key
            ? BenchmarkTokens.WithKey(key, deployment.Http())
            : BenchmarkTokens.FromDevEndpoint(deployment.Http());
        return deployment;
    }

    /// <summary>An HttpClient on the API, sharing one connection pool, optionally carrying a bearer token.</summary>
    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>The Orleans client, connected on first use; grain scenarios need the deployment's database.</summary>
    public async Task<IClusterClient> GrainsAsync()
    {
        if (Database is null)
        {
            throw new ScenarioSkippedException("grain scenarios need the deployment's database: pass --db (and --cluster-id/--service-id)");
        }

        _grains ??= await GrainClient.ConnectAsync(Database, ClusterId, ServiceId);
        return _grains.Cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (_grains is not null)
        {
            await _grains.DisposeAsync();
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        _handler.Dispose();
    }
}

/// <summary>A scenario that cannot run against this deployment (e.g. grain calls without <c>--db</c>); reported, not failed.</summary>
public sealed class ScenarioSkippedException(string message) : Exception(message);

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
