using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Api.Hosting;
using Shop.Client;

namespace Shop.Tests.Api;

/// <summary>
/// The real API host, composed exactly as Program.cs does (CreateBuilder + AddShopApi + MapShopApi) on real Kestrel
/// at 127.0.0.1 with a free port, connected as an Orleans client to the test silo.
/// </summary>
public sealed class ApiTestHost : IAsyncDisposable
{
    private readonly SocketsHttpHandler _handler = new();

    private ApiTestHost(WebApplication app)
    {
        App = app;
        BaseAddress = new Uri(app.Urls.Single());
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public static async Task<ApiTestHost> StartAsync(
        string environment,
        IReadOnlyDictionary<string, string?> settings,
        Action<WebApplication>? mapExtra = null,
        ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0";
        builder.AddShopApi();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        var app = builder.Build();
        app.MapShopApi();
        mapExtra?.Invoke(app);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(timeout.Token);
        return new ApiTestHost(app);
    }

    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public IShopApi CreateApi(string? token = null) => ShopApiClient.Create(CreateClient(token));

    public async ValueTask DisposeAsync()
    {
        _handler.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
