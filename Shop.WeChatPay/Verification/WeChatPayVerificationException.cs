using System.Net;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// A 2xx response from WeChat Pay whose signature did not verify. Its content is never handed to the caller: treat the
/// outcome of the call as unknown (query before acting) and log <see cref="RequestId"/> for WeChat Pay support.
/// </summary>
public sealed class WeChatPayVerificationException(VerificationResult result, HttpStatusCode statusCode, string? requestId, string requestTarget)
    : Exception($"WeChat Pay response to {requestTarget} failed signature verification at the {result.FailedCheck} check: {result.Message} (HTTP {(int)statusCode}, Request-ID {requestId ?? "none"}).")
{
    public VerificationResult Result { get; } = result;

    public HttpStatusCode StatusCode { get; } = statusCode;

    public string? RequestId { get; } = requestId;
}
