using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Tests.Infrastructure;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;

namespace Shop.Tests.Payments;

/// <summary>
/// A WeChat Pay transaction the shop never recorded for an order (as a prepay that raced the order's cancel would
/// leave): opened at the simulator with the silo's own signed client, ready to be paid through the simulator's controls.
/// </summary>
public static class PrepayBehindTheShop
{
    public static async Task<string> OpenAsync(ShopTestCluster cluster, string orderNo, long totalFen, string payerOpenId)
    {
        var silo = cluster.Silos[0].App.Services;
        var merchant = silo.GetRequiredService<IOptions<WeChatPayOptions>>().Value;
        var prepay = await silo.GetRequiredService<IWeChatPayApi>().JsapiPrepayAsync(new JsapiPrepayRequest
        {
            AppId = merchant.AppId,
            MchId = merchant.MchId,
            Description = "late payment",
            OutTradeNo = orderNo,
            NotifyUrl = merchant.NotifyUrl,
            Amount = new PrepayAmount(totalFen),
            Payer = new PrepayPayer(payerOpenId),
        });
        return prepay.PrepayId;
    }
}
