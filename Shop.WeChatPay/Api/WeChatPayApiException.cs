using System.Net;
using System.Text.Json;

namespace Shop.WeChatPay.Api;

/// <summary>
/// A non-2xx answer from WeChat Pay: <c>{"code","message","detail"}</c> plus the HTTP status. Error bodies are hints:
/// after a 5xx, 429 or timeout on a money-moving call the outcome is unknown, so re-send with the same
/// out_trade_no/out_refund_no or query; never switch numbers.
/// </summary>
public sealed class WeChatPayApiException(
    HttpStatusCode statusCode, string code, string wechatMessage, JsonElement? detail, string? requestId, bool signatureVerified, string requestTarget)
    : Exception($"WeChat Pay {requestTarget} failed: HTTP {(int)statusCode} {code}: {wechatMessage} (Request-ID {requestId ?? "none"}).")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>WeChat's error code, e.g. ORDER_NOT_EXIST; empty when the body was not a WeChat error.</summary>
    public string Code { get; } = code;

    public string WeChatMessage { get; } = wechatMessage;

    public JsonElement? Detail { get; } = detail;

    public string? RequestId { get; } = requestId;

    /// <summary>Whether the error response carried a valid WeChat Pay signature.</summary>
    public bool SignatureVerified { get; } = signatureVerified;

    /// <summary>
    /// Matches codes tolerantly: doc generations spell them with and without underscores
    /// (ORDER_NOT_EXIST / ORDERNOTEXIST, SYSTEM_ERROR / SYSTEMERROR).
    /// </summary>
    public bool IsCode(params string[] codes) => codes.Any(c => Normalize(c) == Normalize(Code));

    private static string Normalize(string code) => code.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
}
