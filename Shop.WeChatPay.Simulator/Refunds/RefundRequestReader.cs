using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Refunds;

/// <summary>A refund request whose fields passed the format rules; at least one of the two order numbers is set.</summary>
internal sealed record RefundRequest(
    string? TransactionId, string? OutTradeNo, string OutRefundNo, string? Reason, string? NotifyUrl, long Refund, long Total);

/// <summary>Reads POST /v3/refund/domestic/refunds field by field, stopping at the first problem.</summary>
internal static class RefundRequestReader
{
    public static (RefundRequest? Request, WeChatPayError? Error) Read(byte[] body)
    {
        if (JsonFields.Parse(body, out var parseError) is not { } f)
        {
            return (null, parseError);
        }

        var transactionId = f.Text("/transaction_id", required: false, maxBytes: 32);
        var outTradeNo = f.Text("/out_trade_no", required: transactionId is null, maxBytes: 32, FieldRules.OutTradeNo);
        var outRefundNo = f.Text("/out_refund_no", required: true, maxBytes: 64, FieldRules.OutRefundNo);
        var reason = f.Text("/reason", required: false, maxBytes: 80);
        var notifyUrl = f.Text("/notify_url", required: false, maxBytes: 256, FieldRules.NotifyUrl);
        f.Text("/funds_account", required: false, maxBytes: 32);
        var refund = f.Integer("/amount/refund", required: true, min: 1);
        var total = f.Integer("/amount/total", required: true, min: 1);
        f.Text("/amount/currency", required: true, maxBytes: 16, FieldRules.Currency);
        if (f.Error is { } error)
        {
            return (null, error);
        }

        return (new RefundRequest(transactionId, outTradeNo, outRefundNo!, reason, notifyUrl, refund!.Value, total!.Value), null);
    }
}
