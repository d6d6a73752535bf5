using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Verification;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>
/// Verifies (signature, ±300 s, serial), decrypts and checks a notification, then hands the transaction to the order's
/// payment grain. Anything not applied is answered non-2xx, so WeChat Pay delivers it again.
/// </summary>
[StatelessWorker]
public sealed class WeChatPayNotificationGrain(
    WeChatPayNotificationParser parser,
    IOptions<WeChatPayOptions> merchant,
    WeChatPayNotificationRejections rejections,
    ILogger<WeChatPayNotificationGrain> logger) : Grain, IWeChatPayNotificationGrain
{
    private readonly WeChatPayOptions _merchant = merchant.Value;

    public async Task<NotificationAnswer> HandleAsync(WeChatPayDelivery delivery)
    {
        var headers = new Dictionary<string, string>(delivery.Headers, StringComparer.OrdinalIgnoreCase);
        var result = await parser.ParseAsync(SignatureHeaders.From(name => headers.GetValueOrDefault(name)), delivery.Body);
        if (!result.IsValid)
        {
            rejections.Record(result.FailedCheck, result.Verification.Message);
            // An unknown serial may be a key we have not loaded yet: 5xx, as the docs ask, so it is delivered again.
            var status = result.FailedCheck switch
            {
                VerificationCheck.Serial => 500,
                VerificationCheck.Payload or VerificationCheck.Decrypt => 400,
                _ => 401,
            };
            return new NotificationAnswer(status, result.Verification.Message);
        }

        var notification = result.Notification!;
        if (notification.IsRefund)
        {
            return await HandleRefundAsync(notification);
        }

        if (!notification.IsTransaction)
        {
            logger.LogWarning("WeChat Pay notification {Id} of type {EventType} is not handled", notification.Envelope.Id, notification.EventType);
            return new NotificationAnswer(400, $"event type {notification.EventType} is not handled");
        }

        Transaction transaction;
        try
        {
            transaction = notification.ReadTransaction();
        }
        catch (System.Text.Json.JsonException)
        {
            return new NotificationAnswer(400, "transaction resource is not valid JSON");
        }

        if (transaction.MchId != _merchant.MchId || transaction.AppId != _merchant.AppId)
        {
            logger.LogCritical("ALERT WeChat Pay notification {Id} for mchid {MchId}/appid {AppId}, not ours", notification.Envelope.Id, transaction.MchId, transaction.AppId);
            return new NotificationAnswer(400, "mchid or appid does not match");
        }

        if (transaction.TradeState != TradeStates.Success || transaction.TransactionId is null || transaction.Amount is null)
        {
            // Nothing to apply, and a re-delivery would not change that.
            logger.LogInformation("WeChat Pay notification {Id}: trade_state {State}, nothing to apply", notification.Envelope.Id, transaction.TradeState);
            return NotificationAnswer.Processed;
        }

        if (!OrderNumber.IsValid(transaction.OutTradeNo))
        {
            return new NotificationAnswer(404, "unknown out_trade_no");
        }

        var paid = new PaidTransaction(transaction.OutTradeNo, transaction.TransactionId, transaction.Amount.Total,
            transaction.SuccessTime ?? DateTimeOffset.UtcNow, "notification " + notification.Envelope.Id);
        return await GrainFactory.GetGrain<IOrderPaymentGrain>(transaction.OutTradeNo).ApplyTransactionAsync(paid);
    }

    private async Task<NotificationAnswer> HandleRefundAsync(WeChatPayNotification notification)
    {
        RefundNotificationResource refund;
        try
        {
            refund = notification.ReadRefund();
        }
        catch (System.Text.Json.JsonException)
        {
            return new NotificationAnswer(400, "refund resource is not valid JSON");
        }

        if (refund.MchId is { } mchId && mchId != _merchant.MchId)
        {
            logger.LogCritical("ALERT WeChat Pay refund notification {Id} for mchid {MchId}, not ours", notification.Envelope.Id, mchId);
            return new NotificationAnswer(400, "mchid does not match");
        }

        if (!OrderNumber.IsValid(refund.OutTradeNo))
        {
            return new NotificationAnswer(404, "unknown out_trade_no");
        }

        if (refund.RefundStatus is not (RefundStatuses.Success or RefundStatuses.Closed or RefundStatuses.Abnormal))
        {
            return new NotificationAnswer(400, $"refund_status {refund.RefundStatus} is not a final refund status");
        }

        // An automatic refund (a payment on a cancelled order) belongs to the payment grain; a merchant refund to the order.
        if (await GrainFactory.GetGrain<IOrderPaymentGrain>(refund.OutTradeNo).ApplyRefundStatusAsync(refund.OutRefundNo, refund.RefundStatus))
        {
            return NotificationAnswer.Processed;
        }

        var update = new RefundStatusUpdate(refund.OutRefundNo, refund.RefundStatus, refund.Amount?.Refund, refund.RefundId,
            "notification " + notification.Envelope.Id, refund.SuccessTime);
        return await GrainFactory.GetGrain<IOrderGrain>(refund.OutTradeNo).ApplyRefundStatusAsync(update) switch
        {
            RefundUpdateResult.Applied => NotificationAnswer.Processed,
            RefundUpdateResult.AmountMismatch => new NotificationAnswer(400, "refund amount does not match the refund requested"),
            _ => new NotificationAnswer(404, "unknown out_refund_no"),
        };
    }
}
