using Refit;
using Shop.Client.Identity;

namespace Shop.Client.Payments;

/// <summary>WeChat login and WeChat Pay JSAPI payment of an order.</summary>
public interface IPaymentsApi
{
    [Post("/api/auth/wechat/login")]
    Task<IApiResponse<TokenResponse>> WeChatLoginAsync([Body] WeChatLoginRequest request, CancellationToken cancellationToken = default);

    /// <summary>Opens (or reuses) the WeChat Pay transaction of an unpaid order of the caller.</summary>
    [Post("/api/orders/{orderNo}/payments/wechat-jsapi")]
    Task<IApiResponse<WeChatJsapiPaymentResponse>> PayWithWeChatAsync(string orderNo, CancellationToken cancellationToken = default);
}

public static class PaymentsApiClient
{
    public static IPaymentsApi Create(HttpClient httpClient) =>
        RestService.For<IPaymentsApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
