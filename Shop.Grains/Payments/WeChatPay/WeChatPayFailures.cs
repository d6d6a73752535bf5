using Polly.CircuitBreaker;
using Polly.Timeout;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Verification;

namespace Shop.Grains.Payments.WeChatPay;

internal static class WeChatPayFailures
{
    /// <summary>
    /// WeChat Pay cannot be reached or answered with a server-side error: the outcome of the call is unknown and the
    /// same call may be repeated later. A 4xx is a business refusal and is not transient.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        WeChatPayApiException api => (int)api.StatusCode >= 500 || (int)api.StatusCode == 429,
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException => true,
        WeChatPayVerificationException => true,
        Refit.ApiException or Refit.ApiRequestException => true,
        _ => false,
    };

    /// <summary>While the circuit breaker is open: how long until WeChat Pay is tried again.</summary>
    public static TimeSpan? RetryAfter(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is BrokenCircuitException { RetryAfter: { } retryAfter })
            {
                return retryAfter > TimeSpan.FromSeconds(1) ? retryAfter : TimeSpan.FromSeconds(1);
            }
        }

        return null;
    }
}
