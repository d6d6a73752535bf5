using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Api.Hosting;
using Shop.Silo.Hosting;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The real hosts, composed exactly as Program.cs composes them (AddShopSilo / AddShopApi), on real Kestrel with free
/// ports: N silos and one API, against PostgreSQL (or the embedded mode when no connection string is given).
/// </summary>
public sealed class ShopTestCluster : IAsyncDisposable
{
    public const string TestingEnvironment = "Testing";

    private readonly List<SiloHandle> _silos = [];
    private WebApplication? _api;

    public ShopTestCluster(string? connectionString, string? clusterId = null)
    {
        ConnectionString = connectionString;
        ClusterId = clusterId ?? "test-" + Guid.NewGuid().ToString("N")[..8];
    }

    public string? ConnectionString { get; }

    public string ClusterId { get; }

    /// <summary>Extra configuration for every host (e.g. short timeouts, tiny rate limits).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Extra service registrations for every silo (e.g. a fault-injecting storage decorator).</summary>
    public Action<IServiceCollection>? ConfigureSiloServices { get; set; }

    public Action<IServiceCollection>? ConfigureApiServices { get; set; }

    /// <summary>Extra configuration for the n-th silo started (0-based), e.g. its own connection pool.</summary>
    public Func<int, Dictionary<string, string?>>? SiloSettings { get; set; }

    /// <summary>The API host's environment; "Development" also maps the dev-only routes (token minting, Scalar).</summary>
    public string ApiEnvironment { get; set; } = TestingEnvironment;

    /// <summary>Extra routes on the API after MapShopApi (e.g. one that throws, to exercise the error pipeline).</summary>
    public Action<WebApplication>? ConfigureApi { get; set; }

    public IReadOnlyList<SiloHandle> Silos => _silos;

    public Uri ApiAddress { get; private set; } = null!;

    public WebApplication Api => _api ?? throw new InvalidOperationException("The API is not started.");

    /// <summary>Grain access from inside the cluster (a silo's own client) for assertions and test hooks.</summary>
    public IGrainFactory Grains => _silos.First(s => s.IsRunning).App.Services.GetRequiredService<IGrainFactory>();

    public static async Task<ShopTestCluster> StartAsync(int silos = 1, bool withApi = true, Action<ShopTestCluster>? configure = null,
        string? connectionString = null, bool embedded = false)
    {
        // A fresh database is a copy of the migrated template: the silos find the schema in place instead of building it.
        var cluster = new ShopTestCluster(embedded ? null : connectionString ?? await TestDatabase.CreateMigratedAsync());
        configure?.Invoke(cluster);
        for (var i = 0; i < silos; i++)
        {
            await cluster.StartSiloAsync();
        }

        if (withApi)
        {
            await cluster.StartApiAsync();
        }

        return cluster;
    }

    public async Task<SiloHandle> StartSiloAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var siloPort = FreePorts.Next();
            var gatewayPort = FreePorts.Next();
            var httpPort = FreePorts.Next();
            var builder = CreateBuilder(TestingEnvironment, new()
            {
                ["Urls"] = $"http://127.0.0.1:{httpPort}",
                ["Orleans:SiloPort"] = siloPort.ToString(),
                ["Orleans:GatewayPort"] = gatewayPort.ToString(),
            }, SiloSettings?.Invoke(_silos.Count));
            builder.AddShopSilo();
            ConfigureSiloServices?.Invoke(builder.Services);
            var app = builder.Build();
            app.MapShopSilo();
            try
            {
                await app.StartAsync();
            }
            catch (Exception ex) when (attempt < 3 && IsPortTaken(ex))
            {
                await StopQuietlyAsync(app);
                continue;
            }

            var handle = new SiloHandle(app, new Uri($"http://127.0.0.1:{httpPort}"), gatewayPort);
            _silos.Add(handle);
            return handle;
        }
    }

    /// <summary>Hosted services (the silo) may have started before Kestrel failed to bind: stop them, then dispose.</summary>
    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        catch (Exception)
        {
            // Already failing to start; what matters is that nothing keeps running.
        }

        await app.DisposeAsync();
    }

    /// <summary>
    /// A free port is only free until someone else binds it: other clusters of the same (parallel) test run pick ports
    /// too. Losing that race is retried with new ports.
    /// </summary>
    private static bool IsPortTaken(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public async Task StartApiAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var httpPort = FreePorts.Next();
            var gateway = _silos.FirstOrDefault(s => s.IsRunning)?.GatewayPort ?? 30000;
            var builder = CreateBuilder(ApiEnvironment, new()
            {
                ["Urls"] = $"http://127.0.0.1:{httpPort}",
                ["Orleans:GatewayPort"] = gateway.ToString(),
            });
            builder.AddShopApi();
            ConfigureApiServices?.Invoke(builder.Services);
            var api = builder.Build();
            api.MapShopApi();
            ConfigureApi?.Invoke(api);
            try
            {
                await api.StartAsync();
            }
            catch (Exception ex) when (attempt < 3 && IsPortTaken(ex))
            {
                await StopQuietlyAsync(api);
                continue;
            }

            _api = api;
            ApiAddress = new Uri($"http://127.0.0.1:{httpPort}");
            return;
        }
    }

    /// <summary>An HttpClient for the API, optionally carrying a bearer token.</summary>
    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = ApiAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task StopApiAsync()
    {
        if (_api is not null)
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
            _api = null;
        }
    }

    /// <summary>Graceful stop of everything: the API first, then the silos (they leave the membership table).</summary>
    public async Task StopAsync()
    {
        await StopApiAsync();
        foreach (var silo in _silos.Where(s => s.IsRunning).Reverse())
        {
            await silo.StopAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private WebApplicationBuilder CreateBuilder(string environment, Dictionary<string, string?> hostSettings,
        Dictionary<string, string?>? ownSettings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Shop"] = ConnectionString,
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = "shop-tests",
            ["Orleans:ConnectTimeoutSeconds"] = "30",
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Orders:NumberKey"] = TestTokens.OrderNumberKey,
            ["Orders:PersonalDataActiveKeyId"] = "test",
            ["Orders:PersonalDataKeys:test"] = TestTokens.PersonalDataKey,
            // Tests drive many requests with one token; the limiter itself is tested with tiny limits of its own.
            ["RateLimiting:Reads:PermitLimit"] = "1000000",
            ["RateLimiting:Writes:PermitLimit"] = "1000000",
            // Tests read a product right after changing it; the page cache has tests of its own.
            ["Catalog:DetailCacheTtl"] = "00:00:00",
            // Tests leave many orders of one customer unpaid; the hoarding limits are enforced (and cost what they cost)
            // but never reached, except in Shop.Tests/Campaigns, which sets small ones.
            ["Hoarding:MaxUnpaidOrders"] = "1000000",
            ["Hoarding:MaxUnpaidUnitsPerSku"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Orleans"] = "Error",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        };
        foreach (var (key, value) in hostSettings.Concat(Settings).Concat(ownSettings ?? []))
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}

public sealed class SiloHandle(WebApplication app, Uri httpAddress, int gatewayPort)
{
    public WebApplication App { get; } = app;

    public Uri HttpAddress { get; } = httpAddress;

    public int GatewayPort { get; } = gatewayPort;

    public bool IsRunning { get; private set; } = true;

    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        IsRunning = false;
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>
    /// Stops without grace, as close to a crash as a silo in this process gets: no grain hand-over, in-flight calls
    /// fail, Kestrel closes at once (it still marks itself stopping in the membership table; only a killed process
    /// leaves that to its peers).
    /// </summary>
    public async Task KillAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        IsRunning = false;
        await App.StopAsync(new CancellationToken(canceled: true));
        await App.DisposeAsync();
    }
}
