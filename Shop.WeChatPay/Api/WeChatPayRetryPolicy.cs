using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace Shop.WeChatPay.Api;

/// <summary>
/// Resilience for the WeChat Pay client: per-attempt and total timeouts (or the caller's time budget), a circuit
/// breaker, and retries of transient failures (connection errors, timeouts, 408/429/5xx) only for requests that are
/// safe to repeat.
/// <para>
/// GETs are always safe. The money-moving POSTs are retried ONLY because WeChat Pay makes them idempotent by key:
/// re-sending JSAPI prepay with the same out_trade_no and an identical body returns the same prepay_id; a refund with
/// the same out_refund_no is the same refund (never a second one); closing an already closed order changes nothing.
/// A retry re-sends the very same body bytes (the signing handler runs inside the retry loop and re-signs them with a
/// fresh timestamp and nonce), so the identical-body condition holds. Callers must likewise never switch numbers
/// when they retry by hand. Any other POST is not retried.
/// </para>
/// </summary>
public static class WeChatPayRetryPolicy
{
    private const string ClosePrefix = "/v3/pay/transactions/out-trade-no/";
    private const string CloseSuffix = "/close";

    public static bool IsSafeToRetry(HttpRequestMessage? request)
    {
        if (request?.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            return false;
        }

        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
        {
            return true;
        }

        var path = uri.AbsolutePath;
        return request.Method == HttpMethod.Post
            && (path is "/v3/pay/transactions/jsapi" or "/v3/refund/domestic/refunds" || IsClose(path));
    }

    /// <summary>
    /// The background policy (per-attempt and total timeouts from <paramref name="settings"/>, retries), shortened to
    /// the caller's <see cref="WeChatPayTimeBudget"/> when there is one, and the circuit breaker every call shares: once
    /// WeChat Pay keeps failing, calls fail at once with <see cref="Polly.CircuitBreaker.BrokenCircuitException"/>
    /// (carrying when to try again) instead of waiting on a platform that is down.
    /// </summary>
    public static void Configure(HttpStandardResilienceOptions options, WeChatPayOptions settings)
    {
        options.AttemptTimeout.Timeout = settings.AttemptTimeout;
        options.AttemptTimeout.TimeoutGenerator = _ => ValueTask.FromResult(WeChatPayTimeBudget.AttemptTimeout(settings.AttemptTimeout));
        options.TotalRequestTimeout.Timeout = settings.TotalTimeout;
        options.TotalRequestTimeout.TimeoutGenerator = _ => ValueTask.FromResult(WeChatPayTimeBudget.TotalTimeout(settings.TotalTimeout));
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        var isTransient = options.Retry.ShouldHandle;
        options.Retry.ShouldHandle = async args =>
            args.Outcome.Exception is not BrokenCircuitException
            && WeChatPayTimeBudget.RoomForAnotherAttempt
            && IsSafeToRetry(args.Context.GetRequestMessage())
            && await isTransient(args).ConfigureAwait(false);

        var breaker = settings.CircuitBreaker;
        options.CircuitBreaker.FailureRatio = breaker.FailureRatio;
        options.CircuitBreaker.MinimumThroughput = breaker.MinimumThroughput;
        options.CircuitBreaker.SamplingDuration = breaker.SamplingDuration;
        options.CircuitBreaker.BreakDuration = breaker.BreakDuration;
    }

    private static bool IsClose(string path) =>
        path.StartsWith(ClosePrefix, StringComparison.Ordinal)
        && path.EndsWith(CloseSuffix, StringComparison.Ordinal)
        && path.Length > ClosePrefix.Length + CloseSuffix.Length
        && !path.AsSpan(ClosePrefix.Length, path.Length - ClosePrefix.Length - CloseSuffix.Length).Contains('/');
}
