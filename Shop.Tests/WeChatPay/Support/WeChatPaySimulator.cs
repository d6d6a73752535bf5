using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.WeChatPay.Signing;

namespace Shop.Tests.WeChatPay.Support;

/// <summary>
/// A loopback stand-in for api.mch.weixin.qq.com built from the throw-away vector keys. It checks every request's
/// signature against the merchant PUBLIC key over the raw request-target, and signs every answer (errors included)
/// with the key the request's Wechatpay-Serial names: the public-key pair for PUB_KEY_ID_…, else the platform cert.
/// </summary>
internal sealed partial class WeChatPaySimulator : IAsyncDisposable
{
    private readonly RSA _merchantPublic = WeChatPayVectors.MerchantPublicKey();
    private readonly RSA _platformKey = WeChatPayVectors.PlatformPrivateKey();
    private readonly RSA _publicKeyPair = WeChatPayVectors.WeChatPayPublicKeyPrivatePart();
    private WebApplication? _app;
    private int _failNext;
    private int _certificateDownloads;

    public sealed record Received(string Method, string Target, string? Serial, byte[] Body, bool SignatureValid, string Nonce);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public int CertificateDownloads => Volatile.Read(ref _certificateDownloads);

    /// <summary>Answer the next N (signature-valid) requests with a signed 500 SYSTEM_ERROR.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failNext, count);

    /// <summary>Sign the body, then change it before sending (a man in the middle).</summary>
    public bool TamperResponses { get; set; }

    /// <summary>Send WECHATPAY/SIGNTEST/ probes instead of real signatures.</summary>
    public bool SendSignatureProbes { get; set; }

    public static async Task<WeChatPaySimulator> StartAsync()
    {
        var simulator = new WeChatPaySimulator();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        simulator._app = builder.Build();
        simulator._app.Run(simulator.HandleAsync);
        await simulator._app.StartAsync();
        var address = simulator._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseUrl = new Uri(address);
        return simulator;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        string? authorization = context.Request.Headers.Authorization;
        var parsed = WeChatPayAuthorization.TryParse(authorization);
        var valid = parsed is { MchId: var m, SerialNo: var s } && m == WeChatPayVectors.MchId && s == WeChatPayVectors.MerchantSerial
            && TestSigner.VerifyRequest(_merchantPublic, context.Request.Method, target, authorization, body)
            && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(parsed.Timestamp)) <= 300;
        string? serial = context.Request.Headers[WeChatPayHeaders.Serial];
        Requests.Enqueue(new Received(context.Request.Method, target, serial, body, valid, parsed?.NonceStr ?? ""));

        var (status, json) = !valid
            ? Error(401, "SIGN_ERROR", "签名错误")
            : Interlocked.Decrement(ref _failNext) >= 0
                ? Error(500, "SYSTEM_ERROR", "系统错误")
                : Route(context.Request.Method, context.Request.Path.Value ?? "", body);
        await WriteSignedAsync(context, serial, status, json);
    }

    private async Task WriteSignedAsync(HttpContext context, string? requestSerial, int status, string? json)
    {
        var usePublicKey = requestSerial == WeChatPayVectors.PublicKeyId;
        var bytes = json is null ? [] : Encoding.UTF8.GetBytes(json);
        using var signed = new HttpResponseMessage();
        TestSigner.SignResponse(signed, usePublicKey ? _publicKeyPair : _platformKey,
            usePublicKey ? WeChatPayVectors.PublicKeyId : WeChatPayVectors.PlatformSerial, DateTimeOffset.UtcNow, bytes,
            RandomNumberGenerator.GetHexString(32));
        foreach (var header in signed.Headers)
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        if (SendSignatureProbes)
        {
            context.Response.Headers[WeChatPayHeaders.Signature] = "WECHATPAY/SIGNTEST/" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }

        if (TamperResponses && bytes.Length > 0)
        {
            bytes = Encoding.UTF8.GetBytes(json!.Replace("\"", "\" ", StringComparison.Ordinal));
        }

        context.Response.StatusCode = status;
        if (bytes.Length > 0)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(bytes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _merchantPublic.Dispose();
        _platformKey.Dispose();
        _publicKeyPair.Dispose();
    }
}
