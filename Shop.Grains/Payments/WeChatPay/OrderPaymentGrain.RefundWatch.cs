using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.WeChatPay.Api;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>
/// Merchant refunds at WeChat Pay: the create call (for the order, which owns its refunds) and a watch that asks about
/// unfinished ones by out_refund_no, so that a lost REFUND.* notification, or a create call that never arrived, does
/// not leave a refund (and its order) half done. A durable reminder survives restarts; a grain timer hits the first
/// query on time while the grain is active. Nothing here touches this grain's state.
/// </summary>
public sealed partial class OrderPaymentGrain
{
    private const string RefundWatchReminder = "wechatpay-refunds";
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromMilliseconds(200);

    private IGrainTimer? _refundTimer;

    /// <summary>Counts WatchRefundsAsync calls: a check that saw no refund must not stop a watch armed meanwhile (it interleaves).</summary>
    private int _watchGeneration;

    public async Task<RefundSendResult> SendRefundAsync(RefundSubmission refund, bool askFirst)
    {
        if (askFirst)
        {
            try
            {
                var found = await api.QueryRefundAsync(refund.OutRefundNo);
                return new RefundSendResult(RefundSendStatus.Accepted, Known(found.Status), found.RefundId);
            }
            catch (WeChatPayApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // Never got there: the identical request below is the safe retry.
            }
            catch (Exception ex) when (WeChatPayFailures.IsTransient(ex) || ex is WeChatPayApiException)
            {
                logger.LogWarning(ex, "Order {OrderNo}: could not ask WeChat Pay about refund {OutRefundNo} before re-sending it", OrderNo, refund.OutRefundNo);
                return new RefundSendResult(RefundSendStatus.Unavailable, RetryAfter: _options.RetryAfter);
            }
        }

        return await SendAsync(refund);
    }

    public async Task WatchRefundsAsync()
    {
        _watchGeneration++;
        // Orleans refuses periods under its minimum (1 min by default): a shorter setting means "as often as allowed".
        var minimum = ServiceProvider.GetService<IOptions<ReminderOptions>>()?.Value.MinimumReminderPeriod ?? TimeSpan.FromMinutes(1);
        var period = _options.RefundQueryEvery < minimum ? minimum : _options.RefundQueryEvery;
        await this.RegisterOrUpdateReminder(RefundWatchReminder, _options.RefundQueryAfter, period);
        ArmRefundTimer(_options.RefundQueryAfter);
    }

    private void ArmRefundTimer(TimeSpan due)
    {
        _refundTimer?.Dispose();
        _refundTimer = this.RegisterGrainTimer(_ => CheckRefundsAsync(), due, Timeout.InfiniteTimeSpan);
    }

    private async Task StopRefundWatchAsync(int generation)
    {
        if (generation != _watchGeneration)
        {
            return;
        }

        _refundTimer?.Dispose();
        _refundTimer = null;
        if (await this.GetReminder(RefundWatchReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        if (generation != _watchGeneration)
        {
            // A new refund armed the watch while this one was being stopped: arm it again.
            await WatchRefundsAsync();
        }
    }

    /// <summary>Asks about every unfinished refund that has had time to finish, and hands the answers to the order.</summary>
    private async Task CheckRefundsAsync()
    {
        var generation = _watchGeneration;
        var refunds = await Order.GetRefundsInFlightAsync();
        if (refunds.Count == 0)
        {
            await StopRefundWatchAsync(generation);
            return;
        }

        TimeSpan? nextDue = null;
        foreach (var refund in refunds)
        {
            var wait = refund.RequestedAt + _options.RefundQueryAfter - clock.GetUtcNow();
            if (wait > EarlyTolerance)
            {
                // Too young: WeChat Pay settles most refunds within a minute, and its notification usually comes first.
                nextDue = nextDue is { } earlier && earlier < wait ? earlier : wait;
                continue;
            }

            if (await AskAsync(refund) is { } update && await Order.ApplyRefundStatusAsync(update) == RefundUpdateResult.AmountMismatch)
            {
                logger.LogCritical("ALERT order {OrderNo}: the refund query of {OutRefundNo} names another amount; it stays unfinished", OrderNo, refund.OutRefundNo);
            }
        }

        if (nextDue is { } due)
        {
            ArmRefundTimer(due);
        }
    }

    /// <summary>WeChat Pay's answer about one refund, or null when it could not be had now (the reminder asks again).</summary>
    private async Task<RefundStatusUpdate?> AskAsync(RefundSubmission refund)
    {
        try
        {
            var found = await api.QueryRefundAsync(refund.OutRefundNo);
            return new RefundStatusUpdate(refund.OutRefundNo, Known(found.Status), found.Amount?.Refund, found.RefundId, "query", found.SuccessTime);
        }
        catch (WeChatPayApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // WeChat Pay never got it (the create call failed on the way): the very same request again is the safe retry.
            logger.LogWarning("Order {OrderNo}: refund {OutRefundNo} is unknown to WeChat Pay; sending it again", OrderNo, refund.OutRefundNo);
            var sent = await SendAsync(refund);
            return sent.Status switch
            {
                RefundSendStatus.Accepted => new RefundStatusUpdate(refund.OutRefundNo, sent.RefundStatus!, null, sent.RefundId, "create, re-sent"),
                RefundSendStatus.Rejected => new RefundStatusUpdate(refund.OutRefundNo, RefundStates.Rejected, null, null, "create, re-sent: " + sent.Detail),
                _ => null,
            };
        }
        catch (Exception ex) when (WeChatPayFailures.IsTransient(ex))
        {
            logger.LogWarning(ex, "Order {OrderNo}: query of refund {OutRefundNo} failed; asking again later", OrderNo, refund.OutRefundNo);
            return null;
        }
        catch (WeChatPayApiException ex)
        {
            logger.LogError(ex, "Order {OrderNo}: WeChat Pay refused the query of refund {OutRefundNo}; asking again later", OrderNo, refund.OutRefundNo);
            return null;
        }
    }

    private async Task<RefundSendResult> SendAsync(RefundSubmission refund)
    {
        Refund accepted;
        try
        {
            accepted = await api.CreateRefundAsync(new RefundRequest
            {
                TransactionId = refund.TransactionId,
                OutRefundNo = refund.OutRefundNo,
                // The order keeps the whole reason; WeChat Pay takes 80 UTF-8 bytes (26 Chinese characters) of it.
                Reason = WeChatPayText.Truncate(refund.Reason, WeChatPayText.MaxRefundReasonBytes),
                NotifyUrl = _merchant.NotifyUrl,
                Amount = new RefundRequestAmount(refund.AmountFen, refund.TotalFen),
            });
        }
        catch (Exception ex) when (WeChatPayFailures.IsTransient(ex))
        {
            // Unknown whether WeChat Pay has it: only ever re-sent with this out_refund_no and body, never renumbered.
            logger.LogWarning(ex, "Order {OrderNo}: refund {OutRefundNo} not confirmed by WeChat Pay; it will be sent again", OrderNo, refund.OutRefundNo);
            return new RefundSendResult(RefundSendStatus.Unavailable, RetryAfter: _options.RetryAfter);
        }
        catch (WeChatPayApiException ex)
        {
            logger.LogError(ex, "Order {OrderNo}: WeChat Pay refused refund {OutRefundNo}", OrderNo, refund.OutRefundNo);
            return new RefundSendResult(RefundSendStatus.Rejected, Detail: $"{ex.Code} {ex.WeChatMessage}".Trim());
        }

        logger.LogInformation("Order {OrderNo}: WeChat Pay accepted refund {OutRefundNo} of {AmountFen} fen ({Status})",
            OrderNo, refund.OutRefundNo, refund.AmountFen, accepted.Status);
        return new RefundSendResult(RefundSendStatus.Accepted, Known(accepted.Status), accepted.RefundId);
    }

    /// <summary>The refund API's status; anything unexpected counts as still processing, which a later query settles.</summary>
    private static string Known(string status) =>
        status is RefundStatuses.Success or RefundStatuses.Closed or RefundStatuses.Abnormal ? status : RefundStatuses.Processing;
}
