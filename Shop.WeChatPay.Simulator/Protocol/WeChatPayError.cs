using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Api;

namespace Shop.WeChatPay.Simulator.Protocol;

/// <summary>Which field was wrong: <c>field</c> is a JSON pointer, <c>location</c> body/query/path.</summary>
public sealed record ErrorDetail(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("value")] JsonNode? Value,
    [property: JsonPropertyName("issue")] string Issue,
    [property: JsonPropertyName("location")] string Location);

/// <summary>A WeChat Pay error body: <c>{"code","message","detail"}</c>, answered with <see cref="Status"/>.</summary>
public sealed record WeChatPayError(
    [property: JsonIgnore] int Status,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("detail")] ErrorDetail? Detail = null)
{
    public static WeChatPayError SignError(string message) => new(401, "SIGN_ERROR", message);

    public static WeChatPayError Param(string field, JsonNode? value, string issue, string location = "body") =>
        new(400, "PARAM_ERROR", $"{issue}: {field}", new ErrorDetail(field, value?.DeepClone(), issue, location));

    /// <summary>The documented meaning of INVALID_REQUEST: well-formed, but against a business rule.</summary>
    public static WeChatPayError InvalidRequest(string message) => new(400, "INVALID_REQUEST", message);

    public static WeChatPayError OrderNotExist() => new(404, "ORDER_NOT_EXIST", "订单不存在");

    public static WeChatPayError SystemError() => new(500, "SYSTEM_ERROR", "系统错误");
}

/// <summary>Results with WeChat Pay's JSON conventions (names from [JsonPropertyName], nulls omitted, UTF-8 kept).</summary>
internal static class WeChatPayResults
{
    public static JsonHttpResult<T> Ok<T>(T value) => TypedResults.Json(value, WeChatPayJson.Options);

    public static JsonHttpResult<WeChatPayError> Error(WeChatPayError error) =>
        TypedResults.Json(error, WeChatPayJson.Options, statusCode: error.Status);
}
