using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.Tests.Payments;

/// <summary>
/// The "internet" between WeChat Pay and the API: the silo's notify_url must be known before the API's random port is,
/// so notifications go here and are passed on byte for byte (body and headers) to the API once it runs.
/// </summary>
internal sealed class NotifyRelay : IAsyncDisposable
{
    private static readonly HttpClient Http = new();
    private readonly WebApplication _app;

    private NotifyRelay(WebApplication app) => _app = app;

    public Uri NotifyUrl { get; private set; } = null!;

    public Uri? Target { get; set; }

    public static async Task<NotifyRelay> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var relay = new NotifyRelay(builder.Build());
        relay._app.MapPost("/notify", relay.ForwardAsync);
        await relay._app.StartAsync();
        var address = relay._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        relay.NotifyUrl = new Uri(new Uri(address), "/notify");
        return relay;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Target!, "/api/payments/wechat/notify"))
        {
            Content = new ByteArrayContent(buffer.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/json");
        foreach (var header in context.Request.Headers.Where(h => h.Key.StartsWith("Wechatpay-", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToString());
        }

        using var response = await Http.SendAsync(request);
        context.Response.StatusCode = (int)response.StatusCode;
        await context.Response.Body.WriteAsync(await response.Content.ReadAsByteArrayAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
