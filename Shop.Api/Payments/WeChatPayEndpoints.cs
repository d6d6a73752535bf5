using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Orders;
using Shop.Client.Payments;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Hosting;

namespace Shop.Api.Payments;

/// <summary><c>POST /api/orders/{orderNo}/payments/wechat-jsapi</c>: the owner pays an unpaid order with WeChat Pay.</summary>
public static class WeChatPayEndpoints
{
    public const string OpenIdClaim = "openid";
    public const string WeChatSubjectPrefix = "wx:";

    public static RouteGroupBuilder MapWeChatPayEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/orders/{orderNo}/payments/wechat-jsapi", PrepayAsync).WithTags("Payments").WithName("PayWithWeChat")
            .WithSummary("Opens (or reuses) the order's WeChat Pay transaction and returns the wx.requestPayment parameters.")
            .RequireShopPolicy(ShopPolicies.Customer)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    /// <summary>The caller's openid: the token's openid claim, or a subject bound to one ("wx:" + openid).</summary>
    public static string? OpenId(this ClaimsPrincipal user)
    {
        if (user.FindFirst(OpenIdClaim)?.Value is { Length: > 0 } openId)
        {
            return openId;
        }

        var sub = user.FindFirst("sub")?.Value;
        return sub is not null && sub.StartsWith(WeChatSubjectPrefix, StringComparison.Ordinal) && sub.Length > WeChatSubjectPrefix.Length
            ? sub[WeChatSubjectPrefix.Length..]
            : null;
    }

    public static async Task<Results<Ok<WeChatJsapiPaymentResponse>, ProblemHttpResult>> PrepayAsync(
        string orderNo, ClaimsPrincipal user, HttpContext http, IClusterClient cluster, PaymentsAvailability payments)
    {
        if (!payments.Enabled)
        {
            return PaymentsAvailability.NotConfigured();
        }

        if (!OrderNumber.IsValid(orderNo))
        {
            return OrderMapping.OrderNotFound();
        }

        if (user.OpenId() is not { } openId)
        {
            return ShopProblems.Problem(StatusCodes.Status403Forbidden, PaymentErrorCodes.WeChatOpenIdRequired,
                "Sign in with WeChat to pay with WeChat Pay.");
        }

        var outcome = await cluster.GetGrain<IOrderPaymentGrain>(orderNo).PrepayJsapiAsync(user.Caller(), openId);
        switch (outcome.Status)
        {
            case PrepayStatus.Ok when outcome.Payment is { } p:
                return TypedResults.Ok(new WeChatJsapiPaymentResponse(p.AppId, p.TimeStamp, p.NonceStr, p.Package, p.SignType, p.PaySign));
            case PrepayStatus.NotPayable:
                return ShopProblems.Conflict(PaymentErrorCodes.OrderNotPayable, outcome.Detail ?? "The order cannot be paid.");
            case PrepayStatus.Unavailable:
                var seconds = (int)Math.Ceiling((outcome.RetryAfter ?? TimeSpan.FromSeconds(30)).TotalSeconds);
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, PaymentErrorCodes.PaymentProviderUnavailable,
                    outcome.Detail ?? "WeChat Pay is not reachable; try again shortly.");
            case PrepayStatus.Rejected:
                return ShopProblems.Problem(StatusCodes.Status502BadGateway, PaymentErrorCodes.PaymentRejected,
                    outcome.Detail ?? "WeChat Pay refused the payment.");
            default:
                return OrderMapping.OrderNotFound();
        }
    }
}
