using Shop.WeChatPay.Api;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Simulator.Notifications;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Payments;

/// <summary>JSAPI orders: prepay (idempotent by identical body), query, close, and the payment itself.</summary>
internal sealed class OrderBook(SimulatorLedger ledger, NotificationPublisher notifications, TimeProvider time)
{
    private static readonly TimeSpan DefaultPayableFor = TimeSpan.FromDays(7);
    private static readonly TimeSpan MinPayableFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxPayableFor = TimeSpan.FromDays(90);

    public (PrepayResponse? Response, WeChatPayError? Error) Prepay(Merchant merchant, PrepayRequest request)
    {
        if (request.MchId != merchant.MchId)
        {
            return (null, WeChatPayError.InvalidRequest($"mchid {request.MchId} does not match the signing merchant {merchant.MchId}"));
        }

        if (!merchant.AppIds.Contains(request.AppId))
        {
            return (null, new WeChatPayError(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"));
        }

        var now = time.GetUtcNow();
        var expiresAt = request.TimeExpire ?? now + DefaultPayableFor;
        if (expiresAt <= now || expiresAt - now > MaxPayableFor)
        {
            return (null, WeChatPayError.Param("/time_expire", request.Body["time_expire"], "must be in the future and at most 90 days away"));
        }

        lock (ledger.Gate)
        {
            var key = new OrderKey(merchant.MchId, request.OutTradeNo);
            if (ledger.Order(key) is not { } existing)
            {
                var order = new SimOrder(request.MchId, request.AppId, request.OutTradeNo, request.Description, request.Attach, request.NotifyUrl,
                    request.Total, request.OpenId, request.Body, now, expiresAt < now + MinPayableFor ? now + MinPayableFor : expiresAt)
                {
                    PrepayId = WeChatTime.NewPrepayId(now),
                    PrepayIssuedAt = now,
                };
                ledger.Put(order);
                return (new PrepayResponse(order.PrepayId), null);
            }

            return Resend(existing, request, now);
        }
    }

    /// <summary>Same number again: identical parameters get the current prepay_id, anything else is refused.</summary>
    private (PrepayResponse?, WeChatPayError?) Resend(SimOrder existing, PrepayRequest request, DateTimeOffset now)
    {
        if (!System.Text.Json.Nodes.JsonNode.DeepEquals(existing.Request, request.Body))
        {
            return (null, new WeChatPayError(403, "OUT_TRADE_NO_USED", "商户订单号重复: the same out_trade_no was used with different parameters"));
        }

        if (existing.TradeState == TradeStates.Closed)
        {
            return (null, new WeChatPayError(400, "ORDER_CLOSED", "订单已关闭"));
        }

        if (existing.IsPaid)
        {
            return (null, WeChatPayError.InvalidRequest("订单已支付"));
        }

        if (now >= existing.ExpiresAt)
        {
            return (null, WeChatPayError.InvalidRequest("订单已过期: close it and use a new out_trade_no"));
        }

        if (existing.IsPrepayIdCurrent(now))
        {
            return (new PrepayResponse(existing.PrepayId), null);
        }

        var renewed = existing with { PrepayId = WeChatTime.NewPrepayId(now), PrepayIssuedAt = now };
        ledger.Put(renewed);
        return (new PrepayResponse(renewed.PrepayId), null);
    }

    public SimOrder? Find(OrderKey key)
    {
        lock (ledger.Gate)
        {
            return ledger.Order(key);
        }
    }

    /// <summary>Only paid orders have a transaction_id to be found by.</summary>
    public SimOrder? FindByTransactionId(string mchId, string transactionId)
    {
        lock (ledger.Gate)
        {
            return ledger.OrderByTransactionId(mchId, transactionId);
        }
    }

    /// <summary>NOTPAY → CLOSED; closing a closed order again is harmless; a paid order cannot be closed.</summary>
    public WeChatPayError? Close(OrderKey key)
    {
        lock (ledger.Gate)
        {
            if (ledger.Order(key) is not { } order)
            {
                return WeChatPayError.OrderNotExist();
            }

            if (order.IsPaid)
            {
                // v3 has no documented code for this; INVALID_REQUEST is its generic "breaks a business rule".
                return WeChatPayError.InvalidRequest("订单已支付，不能关闭");
            }

            ledger.Put(order with { TradeState = TradeStates.Closed });
            return null;
        }
    }

    /// <summary>The payer paid: NOTPAY → SUCCESS with a transaction_id, then a TRANSACTION.SUCCESS notification.</summary>
    /// <summary>Paying through a <paramref name="prepayId"/> needs it current; by out_trade_no (null) only the order's expiry counts.</summary>
    public (SimOrder? Order, string? Refusal) Pay(OrderKey key, string? prepayId, long? paidTotal, long? payerTotal, string? openId)
    {
        SimOrder paid;
        var now = time.GetUtcNow();
        lock (ledger.Gate)
        {
            var order = ledger.Order(key)!;
            if (order.TradeState != TradeStates.NotPay)
            {
                return (null, $"the order is {order.TradeState}, not NOTPAY");
            }

            if (prepayId is not null && (prepayId != order.PrepayId || !order.IsPrepayIdCurrent(now)))
            {
                return (null, "the prepay_id has expired (2 h) or was replaced");
            }

            if (now >= order.ExpiresAt)
            {
                return (null, "the order expired at time_expire");
            }

            paid = order with
            {
                TradeState = TradeStates.Success,
                TransactionId = WeChatTime.NewTransactionId(now),
                SuccessTime = WeChatTime.Of(now),
                PaidTotal = paidTotal ?? order.Total,
                PayerTotal = payerTotal ?? paidTotal ?? order.Total,
                PayerOpenId = openId ?? order.OpenId,
            };
            ledger.Put(paid);
        }

        notifications.Publish(new NotificationMessage(paid.Key, null, paid.NotifyUrl, NotificationEventTypes.TransactionSuccess,
            "支付成功", "transaction", TransactionView.From(paid)));
        return (paid, null);
    }
}
