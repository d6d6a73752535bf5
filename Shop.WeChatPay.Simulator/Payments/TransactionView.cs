using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Payments;

/// <summary>An order as the query API and TRANSACTION.SUCCESS notifications show it.</summary>
internal static class TransactionView
{
    public static Transaction From(SimOrder o) => new()
    {
        AppId = o.AppId,
        MchId = o.MchId,
        OutTradeNo = o.OutTradeNo,
        TransactionId = o.TransactionId,
        TradeType = "JSAPI",
        TradeState = o.TradeState,
        TradeStateDesc = Describe(o.TradeState),
        BankType = o.IsPaid ? "OTHERS" : null,
        Attach = o.IsPaid ? o.Attach : null, // echoed only once paid
        SuccessTime = o.SuccessTime is { } paidAt ? WeChatTime.Of(paidAt) : null,
        Payer = o.PayerOpenId is { } openId ? new TransactionPayer(openId) : null,
        Amount = new TransactionAmount(o.PaidTotal ?? o.Total, o.IsPaid ? o.PayerTotal : null, "CNY", o.IsPaid ? "CNY" : null),
    };

    private static string Describe(string state) => state switch
    {
        TradeStates.Success => "支付成功",
        TradeStates.Refund => "转入退款",
        TradeStates.Closed => "订单已关闭",
        _ => "订单未支付",
    };
}
