using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Simulator.Notifications;
using Shop.WeChatPay.Simulator.Payments;
using Shop.WeChatPay.Simulator.Protocol;
using Shop.WeChatPay.Simulator.Refunds;

namespace Shop.WeChatPay.Simulator.Controls;

/// <summary>What the payer and the bank would do: pay an order, settle a refund; plus reset and the platform keys.</summary>
internal static class PaymentControls
{
    public static RouteGroupBuilder MapPaymentControls(this RouteGroupBuilder controls)
    {
        controls.MapPost("/pay", Pay);
        controls.MapPost("/refunds/{outRefundNo}/{outcome}", SettleRefund);
        controls.MapGet("/orders/{outTradeNo}/refunds", RefundsOf);
        controls.MapPost("/reset", Reset);
        controls.MapGet("/platform", Platform);
        return controls;
    }

    private static Results<JsonHttpResult<Transaction>, ProblemHttpResult> Pay(PayCommand command, SimulatorLedger ledger, OrderBook orders)
    {
        if (command.AmountTotal is < 1 || command.PayerTotal is < 0)
        {
            return ControlProblems.Invalid("amount_total must be at least 1 and payer_total not negative");
        }

        var (order, problem) = command.PrepayId is { Length: > 0 } prepayId ? ControlProblems.FindByPrepayId(ledger, prepayId)
            : command.OutTradeNo is { Length: > 0 } outTradeNo ? ControlProblems.FindOrder(ledger, outTradeNo, command.MchId)
            : (null, ControlProblems.Invalid("give prepay_id or out_trade_no"));
        if (problem is not null)
        {
            return problem;
        }

        var (paid, refusal) = orders.Pay(order!.Key, command.PrepayId, command.AmountTotal, command.PayerTotal, command.OpenId);
        return paid is null
            ? ControlProblems.Problem(StatusCodes.Status409Conflict, "ORDER_NOT_PAYABLE", refusal!)
            : WeChatPayResults.Ok(TransactionView.From(paid));
    }

    /// <summary>outcome: success (→ SUCCESS), abnormal (→ ABNORMAL) or closed (→ CLOSED); each sends its REFUND.* notification.</summary>
    private static Results<JsonHttpResult<Refund>, ProblemHttpResult> SettleRefund(
        string outRefundNo, string outcome, string? mchid, SimulatorLedger ledger, RefundDesk desk)
    {
        var status = outcome.ToLowerInvariant() switch
        {
            "success" => RefundStatuses.Success,
            "abnormal" => RefundStatuses.Abnormal,
            "closed" => RefundStatuses.Closed,
            _ => null,
        };
        if (status is null)
        {
            return ControlProblems.Invalid("outcome must be success, abnormal or closed");
        }

        var (refund, problem) = ControlProblems.FindRefund(ledger, outRefundNo, mchid);
        if (problem is not null)
        {
            return problem;
        }

        var (settled, refusal) = desk.Settle(refund!.Key, status);
        return settled is null
            ? ControlProblems.Problem(StatusCodes.Status409Conflict, "REFUND_ALREADY_SETTLED", refusal!)
            : WeChatPayResults.Ok(RefundView.From(settled));
    }

    /// <summary>Every refund of an order, oldest first: what WeChat Pay would pay out.</summary>
    private static Results<Ok<List<Refund>>, ProblemHttpResult> RefundsOf(string outTradeNo, string? mchid, SimulatorLedger ledger)
    {
        var (order, problem) = ControlProblems.FindOrder(ledger, outTradeNo, mchid);
        if (problem is not null)
        {
            return problem;
        }

        lock (ledger.Gate)
        {
            return TypedResults.Ok(ledger.RefundsOf(order!.Key).OrderBy(r => r.CreatedAt).Select(RefundView.From).ToList());
        }
    }

    /// <summary>Forgets every order, refund, notification and armed fault (merchants and keys stay).</summary>
    private static NoContent Reset(SimulatorLedger ledger, NotificationOutbox outbox, SimulatorFaults faults)
    {
        lock (ledger.Gate)
        {
            ledger.Clear();
        }

        outbox.Reset();
        faults.Clear();
        return TypedResults.NoContent();
    }

    private static Ok<PlatformView> Platform(PlatformKeys keys) =>
        TypedResults.Ok(new PlatformView(keys.PublicKeyId, keys.PublicKeyPem, keys.CertificateSerial, keys.CertificatePem));
}
