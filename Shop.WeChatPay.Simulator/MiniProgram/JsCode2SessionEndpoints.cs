using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Simulator.Keys;

namespace Shop.WeChatPay.Simulator.MiniProgram;

/// <summary>What /sns/jscode2session answers: openid + session_key, or errcode + errmsg (HTTP 200 either way).</summary>
public sealed record JsCode2SessionResponse(
    [property: JsonPropertyName("openid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OpenId = null,
    [property: JsonPropertyName("session_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SessionKey = null,
    [property: JsonPropertyName("errcode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ErrCode = null,
    [property: JsonPropertyName("errmsg"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrMsg = null);

/// <summary>
/// Mini-program login (wx.login code → openid). The openid is deterministic per appid and code, so a test (or a person
/// at a local storefront) logs in as the same user again by reusing a code such as "alice"; real codes are single-use,
/// which the simulator does not enforce for that reason. A code that is empty or starts with "invalid" gets 40029.
/// </summary>
internal static class JsCode2SessionEndpoints
{
    public static WebApplication MapJsCode2Session(this WebApplication app)
    {
        app.MapGet("/sns/jscode2session", Answer);
        return app;
    }

    private static JsonHttpResult<JsCode2SessionResponse> Answer(
        string? appid, string? secret, [FromQuery(Name = "js_code")] string? jsCode, [FromQuery(Name = "grant_type")] string? grantType, MerchantRegistry merchants, IOptions<SimulatorOptions> options)
    {
        if (string.IsNullOrEmpty(appid) || !(merchants.IsKnownAppId(appid) || options.Value.MiniProgramSecrets.ContainsKey(appid)))
        {
            return Error(40013, "invalid appid");
        }

        if (string.IsNullOrEmpty(secret)
            || (options.Value.MiniProgramSecrets.TryGetValue(appid, out var expected) && !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(expected))))
        {
            return Error(40125, "invalid appsecret");
        }

        if (grantType != "authorization_code")
        {
            return Error(40002, "invalid grant_type");
        }

        if (string.IsNullOrWhiteSpace(jsCode) || jsCode.StartsWith("invalid", StringComparison.Ordinal))
        {
            return Error(40029, "invalid code");
        }

        return TypedResults.Json(new JsCode2SessionResponse(OpenId(appid, jsCode), SessionKey(appid, jsCode)));
    }

    /// <summary>"o" + 27 base64url characters: 28 characters like a real openid, different per appid.</summary>
    public static string OpenId(string appId, string code) => "o" + WebEncoders.Base64UrlEncode(Mac("openid", appId, code))[..27];

    private static string SessionKey(string appId, string code) => Convert.ToBase64String(Mac("session_key", appId, code)[..16]);

    private static byte[] Mac(string purpose, string appId, string code) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes($"shop-wechat-simulator/{purpose}/{appId}"), Encoding.UTF8.GetBytes(code));

    private static JsonHttpResult<JsCode2SessionResponse> Error(int code, string message) =>
        TypedResults.Json(new JsCode2SessionResponse(ErrCode: code, ErrMsg: $"{message}, rid: {RandomNumberGenerator.GetHexString(24, lowercase: true)}"));
}
