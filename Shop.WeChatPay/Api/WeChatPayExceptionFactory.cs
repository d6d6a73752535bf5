using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Api;

/// <summary>Refit exception factory: non-2xx responses become <see cref="WeChatPayApiException"/>.</summary>
public static class WeChatPayExceptionFactory
{
    public static async ValueTask<Exception?> CreateAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        ErrorBody? error = null;
        try
        {
            error = body.Length == 0 ? null : JsonSerializer.Deserialize<ErrorBody>(body, WeChatPayJson.Options);
        }
        catch (JsonException)
        {
            // A gateway or proxy page rather than a WeChat error body: keep the status, leave the code empty.
        }

        var request = response.RequestMessage;
        var verified = request is not null && request.Options.TryGetValue(ResponseVerifyingHandler.ResultKey, out var result) && result.IsValid;
        var requestId = response.Headers.TryGetValues(WeChatPayHeaders.RequestId, out var ids) ? ids.FirstOrDefault() : null;
        return new WeChatPayApiException(response.StatusCode, error?.Code ?? "", error?.Message ?? response.ReasonPhrase ?? "",
            error?.Detail, requestId, verified, $"{request?.Method} {request?.RequestUri?.AbsolutePath}");
    }

    private sealed record ErrorBody(
        [property: JsonPropertyName("code")] string? Code,
        [property: JsonPropertyName("message")] string? Message,
        [property: JsonPropertyName("detail")] JsonElement? Detail);
}
