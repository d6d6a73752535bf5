using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Signing;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>
/// The WeChat Pay transaction of one order. Notifications and reconciliation queries both end in
/// <see cref="ApplyTransactionAsync"/>, one at a time per order; the order's MarkPaid is idempotent per transaction id,
/// so duplicates and replays change the order once.
/// </summary>
public sealed partial class OrderPaymentGrain(
    [PersistentState("wechatpay")] IPersistentState<OrderPaymentState> state,
    IWeChatPayApi api,
    JsapiPaySigner paySigner,
    IOptions<WeChatPayOptions> merchant,
    IOptions<PaymentOptions> options,
    TimeProvider clock,
    ILogger<OrderPaymentGrain> logger) : Grain, IOrderPaymentGrain, IRemindable
{
    internal static readonly OrderCaller System = new("system:wechatpay", IsAdmin: true);

    private readonly WeChatPayOptions _merchant = merchant.Value;
    private readonly PaymentOptions _options = options.Value;

    /// <summary>Prepay calls under way in this activation: a close that interleaves with one cannot close what it opens.</summary>
    private int _prepaysInFlight;

    private string OrderNo => this.GetPrimaryKeyString();

    private IOrderGrain Order => GrainFactory.GetGrain<IOrderGrain>(OrderNo);

    public async Task<PrepayOutcome> PrepayJsapiAsync(OrderCaller caller, string openId)
    {
        var outcome = await Order.GetAsync(caller);
        if (outcome.Order is not { } order || order.UserId != caller.UserId)
        {
            return new PrepayOutcome(PrepayStatus.NotFound);
        }

        var now = clock.GetUtcNow();
        if (order.Status != OrderStatus.PendingPayment || now >= order.ExpiresAt || state.State.Closed)
        {
            return new PrepayOutcome(PrepayStatus.NotPayable, Detail: $"The order is {order.Status} and cannot be paid.");
        }

        var current = state.State;
        var live = current.PrepayId is not null && current.PayerOpenId == openId && now - current.PrepaidAt < _options.PrepayReuseFor;
        if (!live)
        {
            PrepayResponse response;
            try
            {
                _prepaysInFlight++;
                var request = PrepayRequest(order, openId);
                response = await WeChatPayTimeBudget.RunAsync(_merchant.ShopperTimeBudget, ct => api.JsapiPrepayAsync(request, ct));
            }
            catch (Exception ex) when (WeChatPayFailures.IsTransient(ex))
            {
                var breakLeft = WeChatPayFailures.RetryAfter(ex);
                if (breakLeft is null)
                {
                    logger.LogWarning(ex, "Order {OrderNo}: WeChat Pay prepay unavailable", OrderNo);
                }
                else
                {
                    // The breaker already logged why; one line per refused shopper is enough.
                    logger.LogWarning("Order {OrderNo}: WeChat Pay prepay not attempted, circuit open for {BreakLeft}", OrderNo, breakLeft);
                }

                return new PrepayOutcome(PrepayStatus.Unavailable, Detail: "WeChat Pay is not reachable; try again shortly.",
                    RetryAfter: breakLeft ?? _options.RetryAfter);
            }
            catch (WeChatPayApiException ex)
            {
                logger.LogError(ex, "Order {OrderNo}: WeChat Pay refused the prepay", OrderNo);
                return new PrepayOutcome(PrepayStatus.Rejected, Detail: $"WeChat Pay refused the payment: {ex.Code}.");
            }
            finally
            {
                _prepaysInFlight--;
            }

            state.State = current with { PrepayId = response.PrepayId, PayerOpenId = openId, PrepaidAt = now };
            await state.WriteStateAsync();
            ArmReconcileTimer();
        }

        var p = paySigner.Create(_merchant.AppId, state.State.PrepayId!);
        return new PrepayOutcome(PrepayStatus.Ok, new JsapiPayment(p.AppId, p.TimeStamp, p.NonceStr, p.Package, p.SignType, p.PaySign));
    }

    public async Task<NotificationAnswer> ApplyTransactionAsync(PaidTransaction transaction)
    {
        var outcome = await Order.GetAsync(System);
        if (outcome.Order is not { } order)
        {
            logger.LogWarning("WeChat Pay transaction {TransactionId} names unknown order {OrderNo}", transaction.TransactionId, OrderNo);
            return new NotificationAnswer(404, "unknown out_trade_no");
        }

        if (transaction.TotalFen != order.TotalFen)
        {
            // Never mark paid: the money paid is not the price of the order. Operators must look at it.
            logger.LogCritical("ALERT order {OrderNo}: WeChat Pay transaction {TransactionId} paid {PaidFen} fen but the order total is {TotalFen} fen ({Source}); not marked paid",
                OrderNo, transaction.TransactionId, transaction.TotalFen, order.TotalFen, transaction.Source);
            return new NotificationAnswer(400, "amount does not match the order total");
        }

        var paid = await Order.MarkPaidAsync(new PaymentReceipt(transaction.TransactionId, transaction.TotalFen, transaction.PaidAt));
        if (paid.Status != OrderOutcomeStatus.Ok || paid.Order is null)
        {
            return new NotificationAnswer(500, $"order not updated: {paid.Status}");
        }

        if (!await RefundIfUnwantedAsync(paid.Order, transaction))
        {
            return new NotificationAnswer(503, "refund of a payment for a cancelled order not accepted yet");
        }

        await StopReconciliationAsync();
        return NotificationAnswer.Processed;
    }

    private JsapiPrepayRequest PrepayRequest(OrderView order, string openId) => new()
    {
        AppId = _merchant.AppId,
        MchId = _merchant.MchId,
        Description = Describe(order),
        OutTradeNo = OrderNo,
        // Identical on every re-send (WeChat Pay answers the same prepay_id only for the identical request).
        TimeExpire = order.ExpiresAt.ToOffset(TimeSpan.FromHours(8)),
        NotifyUrl = _merchant.NotifyUrl,
        Amount = new PrepayAmount(order.TotalFen),
        Payer = new PrepayPayer(openId),
    };

    /// <summary>
    /// The first line's name (and "等N件" when there are more) in at most 127 UTF-8 bytes, without characters outside the
    /// BMP (WeChat Pay accepts only 1–3 byte UTF-8) or control characters. The name is cut, not the count.
    /// </summary>
    private static string Describe(OrderView order)
    {
        var first = order.Lines.Count > 0 ? Printable(order.Lines[0].Name) : "";
        if (first.Length == 0)
        {
            return WeChatPayText.Truncate("Order " + order.OrderNo, WeChatPayText.MaxDescriptionBytes);
        }

        var more = order.Lines.Count > 1 ? $" 等{order.Lines.Count}件" : "";
        return WeChatPayText.Truncate(first, WeChatPayText.MaxDescriptionBytes - Encoding.UTF8.GetByteCount(more)) + more;
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsBmp && !Rune.IsControl(rune))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
