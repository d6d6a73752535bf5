using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.WeChatPay.Simulator.Hosting;

namespace Shop.Tests.WeChatPay.Simulator.Support;

/// <summary>The simulator in-process, composed exactly as its Program does (AddWeChatPaySimulator/MapWeChatPaySimulator), on a free loopback port.</summary>
internal sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public static WebApplication Build(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["urls"] = "http://127.0.0.1:0";
        builder.Logging.ClearProviders();
        builder.AddWeChatPaySimulator();
        var app = builder.Build();
        app.MapWeChatPaySimulator();
        return app;
    }

    public static async Task<SimulatorHost> StartAsync(IDictionary<string, string?> settings)
    {
        var app = Build(settings);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(address));
    }

    /// <summary>Settings for one merchant whose certificate the simulator reads from its PEM file.</summary>
    public static Dictionary<string, string?> Settings(MerchantIdentity merchant, string publicKeyOutputPath, string keyMode = "PublicKey", double retryTimeScale = 0.001) => new()
    {
        ["Simulator:PlatformPublicKeyOutputPath"] = publicKeyOutputPath,
        ["Simulator:RetryTimeScale"] = retryTimeScale.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Simulator:NotificationTimeout"] = "00:00:05",
        ["Simulator:Merchants:0:MchId"] = merchant.MchId,
        ["Simulator:Merchants:0:AppIds:0"] = merchant.AppId,
        ["Simulator:Merchants:0:ApiV3Key"] = merchant.ApiV3Key,
        ["Simulator:Merchants:0:KeyMode"] = keyMode,
        ["Simulator:Merchants:0:Certificates:0:Serial"] = merchant.CertificateSerial,
        ["Simulator:Merchants:0:Certificates:0:PemPath"] = merchant.CertificatePath,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
