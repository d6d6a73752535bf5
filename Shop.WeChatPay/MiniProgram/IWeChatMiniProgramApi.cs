using Refit;

namespace Shop.WeChatPay.MiniProgram;

/// <summary>
/// The mini-program server API calls of shipping (小程序发货信息管理服务). WeChat answers HTTP 200 with <c>errcode</c>
/// for refusals; any other status is a transport failure. Docs:
/// https://developers.weixin.qq.com/miniprogram/dev/server/API/order_shipping/api_uploadshippinginfo.html,
/// https://developers.weixin.qq.com/miniprogram/dev/server/API/mp-access-token/api_getstableaccesstoken.html.
/// </summary>
public interface IWeChatMiniProgramApi
{
    [Post("/cgi-bin/stable_token")]
    Task<StableTokenResponse> StableTokenAsync([Body] StableTokenRequest request, CancellationToken cancellationToken = default);

    [Post("/wxa/sec/order/upload_shipping_info")]
    Task<WeChatResult> UploadShippingInfoAsync([Query, AliasAs("access_token")] string accessToken, [Body] UploadShippingInfoRequest request,
        CancellationToken cancellationToken = default);

    [Post("/wxa/sec/order/get_order")]
    Task<GetShippingOrderResponse> GetOrderAsync([Query, AliasAs("access_token")] string accessToken, [Body] GetShippingOrderRequest request,
        CancellationToken cancellationToken = default);

    [Post("/cgi-bin/express/delivery/open_msg/get_delivery_list")]
    Task<DeliveryListResponse> GetDeliveryListAsync([Query, AliasAs("access_token")] string accessToken, [Body] EmptyRequest request,
        CancellationToken cancellationToken = default);
}
