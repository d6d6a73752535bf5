using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Silo.Hosting;

namespace Shop.Tests.Api;

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiCluster>
{
    public const string Name = "api";
}

/// <summary>
/// One embedded silo (AddShopSilo/MapShopSilo, no connection string, free ports) shared by the API tests, plus a
/// Production and a Development API host started on first use. Tests needing special settings start their own host.
/// </summary>
public sealed class ApiCluster : IAsyncLifetime
{
    private readonly string _clusterId = "api-tests-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Lazy<Task<ApiTestHost>> _production;
    private readonly Lazy<Task<ApiTestHost>> _development;
    private WebApplication? _silo;
    private int _gatewayPort;

    public ApiCluster()
    {
        _production = new(() => StartApiAsync(Environments.Production));
        _development = new(() => StartApiAsync(Environments.Development));
    }

    public Task<ApiTestHost> Production => _production.Value;

    public Task<ApiTestHost> Development => _development.Value;

    /// <summary>The settings every test host gets; <paramref name="overrides"/> win.</summary>
    public Dictionary<string, string?> ApiSettings(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(CommonSettings())
        {
            ["Orleans:GatewayPort"] = _gatewayPort.ToString(),
            ["Orleans:ConnectTimeoutSeconds"] = "30",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public Task<ApiTestHost> StartApiAsync(
        string environment,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<WebApplication>? mapExtra = null,
        ILoggerProvider? logs = null) =>
        ApiTestHost.StartAsync(environment, ApiSettings(overrides), mapExtra, logs);

    public async Task InitializeAsync()
    {
        _gatewayPort = FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(CommonSettings())
        {
            ["Orleans:SiloPort"] = FreePort().ToString(),
            ["Orleans:GatewayPort"] = _gatewayPort.ToString(),
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
        });
        builder.AddShopSilo();
        _silo = builder.Build();
        _silo.MapShopSilo();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _silo.StartAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { _production, _development }.Where(h => h.IsValueCreated))
        {
            await (await host.Value).DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.StopAsync();
            await _silo.DisposeAsync();
        }
    }

    private Dictionary<string, string?> CommonSettings() => new()
    {
        ["ConnectionStrings:Shop"] = "",
        ["Orleans:ClusterId"] = _clusterId,
        ["Orleans:ServiceId"] = _clusterId,
        ["Auth:SigningKey"] = TestTokens.SigningKey,
        ["Auth:Issuer"] = TestTokens.Issuer,
        ["Auth:Audience"] = TestTokens.Audience,
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Error",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
