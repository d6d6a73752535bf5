using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Shop.Api.Errors;
using Shop.Api.Payments;
using Shop.Client.Identity;
using Shop.Client.Payments;
using Shop.Hosting;

namespace Shop.Api.Auth;

/// <summary>
/// <c>POST /api/auth/wechat/login {"code"}</c>: exchanges a wx.login code for the user's openid and answers our own
/// token, whose subject is bound to that openid ("wx:" + openid, plus an openid claim). The session_key never leaves.
/// </summary>
public static class WeChatLoginEndpoints
{
    private const int MaxCodeLength = 128;

    public static RouteGroupBuilder MapWeChatLogin(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/wechat/login", LoginAsync).AllowAnonymous().WithTags("Identity").WithName("WeChatLogin")
            .WithSummary("Signs a mini-program user in with the code from wx.login.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        WeChatLoginRequest request, IServiceProvider services, IOptions<WeChatLoginOptions> options, ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || services.GetService<IWeChatLoginApi>() is not { } wechat || services.GetService<ShopTokenIssuer>() is not { } issuer)
        {
            return ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, PaymentErrorCodes.WeChatLoginUnavailable,
                "WeChat login is not configured on this deployment.");
        }

        var errors = new ValidationErrors().Required("code", request.Code, MaxCodeLength);
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        JsCode2SessionResponse session;
        try
        {
            session = await wechat.JsCode2SessionAsync(settings.AppId, settings.AppSecret, request.Code!, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Refit.ApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logs.CreateLogger(typeof(WeChatLoginEndpoints)).LogWarning(ex, "jscode2session failed");
            return ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, PaymentErrorCodes.WeChatLoginUnavailable,
                "WeChat cannot be reached; try again shortly.");
        }

        if (session.ErrCode is not (null or 0) || string.IsNullOrEmpty(session.OpenId))
        {
            // 40029 bad code, 40163 used code, 45011 too frequent: the user's code; anything else is our configuration.
            if (session.ErrCode is 40029 or 40163 or 45011 or null or 0)
            {
                return ShopProblems.Problem(StatusCodes.Status400BadRequest, PaymentErrorCodes.WeChatCodeInvalid,
                    "WeChat did not accept the login code; call wx.login again.");
            }

            logs.CreateLogger(typeof(WeChatLoginEndpoints)).LogError("jscode2session answered {ErrCode} {ErrMsg}", session.ErrCode, session.ErrMsg);
            return ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, PaymentErrorCodes.WeChatLoginUnavailable,
                "WeChat login is misconfigured on this deployment.");
        }

        var sub = WeChatPayEndpoints.WeChatSubjectPrefix + session.OpenId;
        return TypedResults.Ok(issuer.Issue(sub, ShopRoles.Customer, extraClaims: new Dictionary<string, object>
        {
            [WeChatPayEndpoints.OpenIdClaim] = session.OpenId,
        }));
    }
}
