using System.Text.Json.Nodes;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Payments;

/// <summary>A prepay request whose fields passed the format rules (bindings and uniqueness are checked later).</summary>
internal sealed record PrepayRequest(
    string AppId, string MchId, string Description, string OutTradeNo, DateTimeOffset? TimeExpire, string? Attach,
    string NotifyUrl, long Total, string OpenId, JsonObject Body);

/// <summary>Reads POST /v3/pay/transactions/jsapi field by field, in the documented order, stopping at the first problem.</summary>
internal static class PrepayRequestReader
{
    public static (PrepayRequest? Request, WeChatPayError? Error) Read(byte[] body)
    {
        if (JsonFields.Parse(body, out var parseError) is not { } f)
        {
            return (null, parseError);
        }

        var appId = f.Text("/appid", required: true, maxBytes: 32);
        var mchId = f.Text("/mchid", required: true, maxBytes: 32);
        var description = f.Text("/description", required: true, maxBytes: 127);
        var outTradeNo = f.Text("/out_trade_no", required: true, maxBytes: 32, FieldRules.OutTradeNo);
        var timeExpire = f.Text("/time_expire", required: false, maxBytes: 64, FieldRules.Rfc3339);
        var attach = f.Text("/attach", required: false, maxBytes: 128);
        var notifyUrl = f.Text("/notify_url", required: true, maxBytes: 255, FieldRules.NotifyUrl);
        var total = f.Integer("/amount/total", required: true, min: 1);
        f.Text("/amount/currency", required: false, maxBytes: 16, FieldRules.Currency);
        var openId = f.Text("/payer/openid", required: true, maxBytes: 128);
        if (f.Error is { } error)
        {
            return (null, error);
        }

        DateTimeOffset? expire = timeExpire is null ? null : FieldRules.TryParseTime(timeExpire, out var t) ? t : null;
        return (new PrepayRequest(appId!, mchId!, description!, outTradeNo!, expire, attach, notifyUrl!, total!.Value, openId!, f.Root), null);
    }
}
