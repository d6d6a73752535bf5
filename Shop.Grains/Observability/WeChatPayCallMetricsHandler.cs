using System.Diagnostics;

namespace Shop.Grains.Observability;

/// <summary>
/// Times every attempt of a WeChat Pay API call (innermost handler: retries are separate attempts) and counts the
/// failed ones, by operation. The operation comes from the path, never the order number in it.
/// </summary>
public sealed class WeChatPayCallMetricsHandler(ShopGrainMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = Operation(request.Method, request.RequestUri?.AbsolutePath ?? "");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            metrics.WeChatPayCall(operation, Stopwatch.GetElapsedTime(started), status >= 400 ? $"http_{status / 100}xx" : null);
            return response;
        }
        catch (Exception ex)
        {
            metrics.WeChatPayCall(operation, Stopwatch.GetElapsedTime(started),
                ex is OperationCanceledException or TimeoutException ? "timeout" : "network");
            throw;
        }
    }

    public static string Operation(HttpMethod method, string path) => (method.Method, path) switch
    {
        ("POST", "/v3/pay/transactions/jsapi") => "prepay",
        ("POST", _) when path.StartsWith("/v3/pay/transactions/out-trade-no/", StringComparison.Ordinal) && path.EndsWith("/close", StringComparison.Ordinal) => "close",
        ("GET", _) when path.StartsWith("/v3/pay/transactions/", StringComparison.Ordinal) => "query",
        ("POST", "/v3/refund/domestic/refunds") => "refund",
        ("GET", _) when path.StartsWith("/v3/refund/domestic/refunds/", StringComparison.Ordinal) => "refund_query",
        ("GET", "/v3/certificates") => "certificates",
        _ => "other",
    };
}
