using System.Text.Json;
using Shop.Api.Hosting;
using Shop.Grains.Interfaces.Payments;

namespace Shop.Api.Payments;

/// <summary>
/// <c>POST /api/payments/wechat/notify</c>: WeChat Pay's notify_url. Thin on purpose: the raw bytes and the Wechatpay-*
/// headers go to a grain that verifies and applies them; 204 once processed, else {"code":"FAIL"} so WeChat Pay retries.
/// </summary>
public static class WeChatPayNotifyEndpoint
{
    /// <summary>Real notifications are about 1 KB; anything far bigger is not one.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder MapWeChatPayNotify(this RouteGroupBuilder api)
    {
        // Not rate limited: every caller is WeChat Pay (one IP budget for all of them), a 429 is just a failed delivery
        // that it retries later, and during a flash sale that would delay payments. Unsigned requests die at the signature check.
        api.MapPost("/payments/wechat/notify", HandleAsync).AllowAnonymous().DisableRateLimiting().WithTags("Payments").WithName("WeChatPayNotify")
            .WithSummary("WeChat Pay's notify_url: signed, encrypted payment and refund results (204 when processed, FAIL otherwise).")
            .Produces(StatusCodes.Status204NoContent)
            // Problems first: for one status the last declaration wins, and ApiOpenApiOperations adds the problem back.
            // 413 is a problem when Kestrel's body limit (Api:MaxRequestBodyBytes) is hit first; 503 when payments are off.
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .Produces<WeChatPayNotifyFailure>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<WeChatPayNotifyFailure>(StatusCodes.Status401Unauthorized, "application/json")
            .Produces<WeChatPayNotifyFailure>(StatusCodes.Status404NotFound, "application/json")
            .Produces<WeChatPayNotifyFailure>(StatusCodes.Status413PayloadTooLarge, "application/json")
            .Produces<WeChatPayNotifyFailure>(StatusCodes.Status500InternalServerError, "application/json")
            .Produces<WeChatPayNotifyFailure>(StatusCodes.Status503ServiceUnavailable, "application/json");
        return api;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IClusterClient cluster, PaymentsAvailability payments, SiloFailoverRetry retry,
        ILoggerFactory logs)
    {
        if (!payments.Enabled)
        {
            return PaymentsAvailability.NotConfigured();
        }

        var body = await ReadBodyAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return Fail(StatusCodes.Status413PayloadTooLarge, "body too large");
        }

        var headers = http.Request.Headers
            .Where(h => h.Key.StartsWith("Wechatpay-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        try
        {
            var delivery = new WeChatPayDelivery(headers, body);
            var answer = await retry.RunAsync(() => cluster.GetGrain<IWeChatPayNotificationGrain>(0).HandleAsync(delivery),
                "WeChat Pay notification", http.RequestAborted);
            http.RequestServices.GetRequiredService<ShopApiMetrics>().NotificationAnswered(answer.Status);
            return answer.IsSuccess ? Results.NoContent() : Fail(answer.Status, answer.Message ?? "not processed");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not processed (cluster or storage trouble): WeChat Pay must deliver it again.
            logs.CreateLogger(typeof(WeChatPayNotifyEndpoint)).LogError(ex, "WeChat Pay notification not processed");
            http.RequestServices.GetRequiredService<ShopApiMetrics>().NotificationAnswered(StatusCodes.Status500InternalServerError);
            return Fail(StatusCodes.Status500InternalServerError, "temporarily unable to process");
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult Fail(int status, string message) =>
        Results.Text(JsonSerializer.Serialize(new { code = "FAIL", message }), "application/json", statusCode: status);
}
