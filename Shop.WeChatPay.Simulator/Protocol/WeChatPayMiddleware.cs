using Microsoft.AspNetCore.Http.Features;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Keys;

namespace Shop.WeChatPay.Simulator.Protocol;

/// <summary>
/// The /v3 pipeline: authenticates the request (answering SIGN_ERROR etc. itself) and signs EVERY response over the
/// exact bytes sent: successes, errors, an empty 204 and even an unexpected exception (a signed 500 SYSTEM_ERROR).
/// A response is signed with the key the request's Wechatpay-Serial names; otherwise with the merchant's mode
/// (the certificate for /v3/certificates, whose download must be verifiable before the merchant holds any key).
/// </summary>
internal sealed class WeChatPayMiddleware(
    RequestDelegate next, RequestAuthenticator authenticator, PlatformKeys keys, SimulatorFaults faults, TimeProvider time, ILogger<WeChatPayMiddleware> logger)
{
    private const int MaxBodyBytes = 1 << 20;

    public async Task InvokeAsync(HttpContext context)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await AuthenticateThenRunAsync(context);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(ex, "Simulator failed on {Method} {Path}", context.Request.Method, context.Request.Path);
            buffer.SetLength(0);
            context.Response.Headers.Clear();
            await WeChatPayResults.Error(WeChatPayError.SystemError()).ExecuteAsync(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        var signature = keys.Sign(ChooseSerial(context), body, time.GetUtcNow());
        PlatformKeys.Apply(signature, (name, value) => context.Response.Headers[name] = value);
        context.Response.Headers[WeChatPayHeaders.RequestId] = WeChatTime.NewRequestId();
        if (body.Length > 0)
        {
            context.Response.ContentLength = body.Length;
            await original.WriteAsync(body, context.RequestAborted);
        }
    }

    private async Task AuthenticateThenRunAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            await WeChatPayResults.Error(WeChatPayError.InvalidRequest("请求体过大")).ExecuteAsync(context);
            return;
        }

        using var received = new MemoryStream();
        await request.Body.CopyToAsync(received, context.RequestAborted);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        var (merchant, error) = authenticator.Authenticate(
            request.Method, target, request.Headers.Authorization, request.Headers.UserAgent, received.ToArray(), time.GetUtcNow());
        if (error is not null)
        {
            await WeChatPayResults.Error(error).ExecuteAsync(context);
            return;
        }

        var fault = faults.Take(request.Method, request.Path);
        if (fault is { Delay.Ticks: > 0 })
        {
            // Hanging: a caller that gives up first cancels this wait and never gets an answer.
            await Task.Delay(fault.Delay, time, context.RequestAborted);
            fault = null;
        }

        if (fault is { AfterProcessing: false })
        {
            await WeChatPayResults.Error(fault.Error).ExecuteAsync(context);
            return;
        }

        context.Items[SignedRequest.ItemKey] = new SignedRequest(merchant!, received.ToArray());
        await next(context);
        if (fault is not null)
        {
            // It happened, but the caller only learns of an error (the body is still buffered, nothing sent yet).
            context.Response.Body.SetLength(0);
            context.Response.Headers.Clear();
            await WeChatPayResults.Error(fault.Error).ExecuteAsync(context);
        }
    }

    private string ChooseSerial(HttpContext context)
    {
        if (keys.Recognize(context.Request.Headers[WeChatPayHeaders.Serial]) is { } named)
        {
            return named;
        }

        if (context.Request.Path.StartsWithSegments("/v3/certificates"))
        {
            return keys.CertificateSerial;
        }

        var merchant = (context.Items[SignedRequest.ItemKey] as SignedRequest)?.Merchant
            ?? authenticator.Claimed(context.Request.Headers.Authorization);
        return keys.SerialFor(merchant?.KeyMode ?? MerchantKeyMode.Certificate);
    }
}
