using System.Text.Json.Serialization;
using Refit;

namespace Shop.Api.Auth;

/// <summary>Settings of the mini-program login (section "WeChatLogin"); login is off without an AppId.</summary>
public sealed class WeChatLoginOptions
{
    public const string Section = "WeChatLogin";

    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";

    public string AppId { get; set; } = "";

    public string AppSecret { get; set; } = "";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId);
}

/// <summary>WeChat's code-for-session exchange. Errors come back as HTTP 200 with errcode set.</summary>
public interface IWeChatLoginApi
{
    [Get("/sns/jscode2session")]
    Task<JsCode2SessionResponse> JsCode2SessionAsync(
        [AliasAs("appid")] string appId,
        [AliasAs("secret")] string secret,
        [AliasAs("js_code")] string jsCode,
        [AliasAs("grant_type")] string grantType = "authorization_code",
        CancellationToken cancellationToken = default);
}

public sealed record JsCode2SessionResponse(
    [property: JsonPropertyName("openid")] string? OpenId,
    [property: JsonPropertyName("session_key")] string? SessionKey,
    [property: JsonPropertyName("unionid")] string? UnionId,
    [property: JsonPropertyName("errcode")] int? ErrCode,
    [property: JsonPropertyName("errmsg")] string? ErrMsg);
