using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Simulator.Payments;
using Shop.WeChatPay.Simulator.Protocol;
using Shop.WeChatPay.Simulator.Refunds;

namespace Shop.WeChatPay.Simulator.Bills;

/// <summary>
/// A payment the merchant never heard of, in today's bill. With the out_trade_no of one of the merchant's orders that is
/// not paid (even a closed one: a payment that slipped through), that order becomes paid in the ledger, silently (no
/// notification), so refunds of it work; otherwise (default: a fresh number nobody issued) it exists only in the bills.
/// </summary>
public sealed record UnknownPaymentCommand(long AmountTotal, string? OutTradeNo = null, [property: System.Text.Json.Serialization.JsonPropertyName("mchid")] string? MchId = null);

/// <summary>The bill shows <see cref="AmountTotal"/> for this paid order instead of what was paid.</summary>
public sealed record ChangedAmountCommand(string OutTradeNo, long AmountTotal, [property: System.Text.Json.Serialization.JsonPropertyName("mchid")] string? MchId = null);

/// <summary>A refund made by hand in the merchant platform: it succeeds at once and no notification is sent.</summary>
public sealed record ManualRefundCommand(string OutTradeNo, long Refund, string? OutRefundNo = null, [property: System.Text.Json.Serialization.JsonPropertyName("mchid")] string? MchId = null);

/// <summary>The next <see cref="Count"/> bill downloads carry one changed digit (so the SHA1 no longer matches).</summary>
public sealed record TamperCommand(int Count = 1);

/// <summary>The trade bill of <see cref="BillDate"/> states a 手续费总金额 <see cref="DeltaFen"/> fen off the sum of its rows' fees.</summary>
public sealed record FeeTotalCommand(string BillDate, long DeltaFen, [property: System.Text.Json.Serialization.JsonPropertyName("mchid")] string? MchId = null);

/// <summary>Makes the bills of <see cref="BillDate"/> now, as WeChat Pay does the next morning (until then: STATEMENT_CREATING).</summary>
public sealed record MakeBillsCommand(string BillDate);

/// <summary>
/// The bills of <see cref="BillDate"/> are not made (STATEMENT_CREATING) even if its day is past, until made by
/// <see cref="MakeBillsCommand"/>: WeChat Pay late with a day's bills.
/// </summary>
public sealed record HoldBillsCommand(string BillDate);

public sealed record InjectedBillRow(string OutTradeNo, string? TransactionId, string? OutRefundNo, long Amount);

/// <summary>Test controls that make the bills differ from what the merchant recorded (loopback only, like the others).</summary>
internal static class BillControls
{
    public static RouteGroupBuilder MapBillControls(this RouteGroupBuilder controls)
    {
        controls.MapPost("/bills/unknown-payment", UnknownPayment);
        controls.MapPost("/bills/changed-amount", ChangedAmount);
        controls.MapPost("/bills/manual-refund", ManualRefund);
        controls.MapPost("/bills/fee-total", FeeTotal);
        controls.MapPost("/bills/make", MakeBills);
        controls.MapPost("/bills/hold", HoldBills);
        controls.MapPost("/bills/tamper", (TamperCommand command, BillInjections injections) =>
        {
            injections.TamperNext(command.Count);
            return TypedResults.NoContent();
        });
        return controls;
    }

    private static Results<Ok<InjectedBillRow>, ProblemHttpResult> UnknownPayment(
        UnknownPaymentCommand command, MerchantRegistry merchants, SimulatorLedger ledger, BillInjections injections, TimeProvider time)
    {
        if (command.AmountTotal < 1)
        {
            return ControlProblems.Invalid("amount_total must be at least 1");
        }

        var mchId = command.MchId ?? merchants.All.FirstOrDefault()?.MchId;
        if (mchId is null || merchants.Find(mchId) is null)
        {
            return ControlProblems.Invalid("no such merchant");
        }

        var now = time.GetUtcNow();
        lock (ledger.Gate)
        {
            if (command.OutTradeNo is { } outTradeNo && ledger.Order(new OrderKey(mchId, outTradeNo)) is { } order)
            {
                if (order.IsPaid)
                {
                    return ControlProblems.Invalid($"order {outTradeNo} is already paid");
                }

                var paid = order with
                {
                    TradeState = TradeStates.Success,
                    TransactionId = WeChatTime.NewTransactionId(now),
                    SuccessTime = WeChatTime.Of(now),
                    PaidTotal = command.AmountTotal,
                    PayerTotal = command.AmountTotal,
                };
                ledger.Put(paid);
                return TypedResults.Ok(new InjectedBillRow(paid.OutTradeNo, paid.TransactionId, null, command.AmountTotal));
            }
        }

        var payment = new InjectedPayment(mchId, command.OutTradeNo ?? "UNKNOWN" + WeChatTime.NewRequestId()[..20], WeChatTime.NewTransactionId(now),
            command.AmountTotal, WeChatTime.Of(now));
        injections.AddPayment(payment);
        return TypedResults.Ok(new InjectedBillRow(payment.OutTradeNo, payment.TransactionId, null, payment.Total));
    }

    private static Results<Ok<InjectedBillRow>, ProblemHttpResult> ChangedAmount(
        ChangedAmountCommand command, SimulatorLedger ledger, BillInjections injections)
    {
        var (order, problem) = ControlProblems.FindOrder(ledger, command.OutTradeNo, command.MchId);
        if (problem is not null)
        {
            return problem;
        }

        if (!order!.IsPaid || command.AmountTotal < 1)
        {
            return ControlProblems.Invalid("the order must be paid and amount_total at least 1");
        }

        injections.ChangeAmount(order.Key, command.AmountTotal);
        return TypedResults.Ok(new InjectedBillRow(order.OutTradeNo, order.TransactionId, null, command.AmountTotal));
    }

    private static Results<NoContent, ProblemHttpResult> FeeTotal(FeeTotalCommand command, MerchantRegistry merchants, BillInjections injections)
    {
        var mchId = command.MchId ?? merchants.All.FirstOrDefault()?.MchId;
        if (mchId is null || merchants.Find(mchId) is null)
        {
            return ControlProblems.Invalid("no such merchant");
        }

        if (!TryDate(command.BillDate, out var day) || command.DeltaFen == 0)
        {
            return ControlProblems.Invalid("bill_date must be yyyy-MM-dd and delta_fen not 0");
        }

        injections.ChangeFeeTotal(mchId, day, command.DeltaFen);
        return TypedResults.NoContent();
    }

    private static Results<NoContent, ProblemHttpResult> MakeBills(MakeBillsCommand command, BillSchedule schedule)
    {
        if (!TryDate(command.BillDate, out var day))
        {
            return ControlProblems.Invalid("bill_date must be yyyy-MM-dd");
        }

        schedule.MakeNow(day);
        return TypedResults.NoContent();
    }

    private static Results<NoContent, ProblemHttpResult> HoldBills(HoldBillsCommand command, BillSchedule schedule)
    {
        if (!TryDate(command.BillDate, out var day))
        {
            return ControlProblems.Invalid("bill_date must be yyyy-MM-dd");
        }

        schedule.Hold(day);
        return TypedResults.NoContent();
    }

    private static bool TryDate(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out day);

    private static Results<Ok<InjectedBillRow>, ProblemHttpResult> ManualRefund(ManualRefundCommand command, SimulatorLedger ledger, TimeProvider time)
    {
        var (found, problem) = ControlProblems.FindOrder(ledger, command.OutTradeNo, command.MchId);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        lock (ledger.Gate)
        {
            var order = ledger.Order(found!.Key)!;
            var paid = order.PaidTotal ?? order.Total;
            var held = ledger.RefundsOf(order.Key).Where(r => r.HoldsAmount).Sum(r => r.Refund);
            if (!order.IsPaid || command.Refund < 1 || held + command.Refund > paid)
            {
                return ControlProblems.Invalid($"the order must be paid and the refund between 1 and {paid - held}");
            }

            var refund = new SimRefund(order.MchId, command.OutRefundNo ?? "MANUAL" + WeChatTime.NewRequestId()[..20], WeChatTime.NewRefundId(now),
                order.OutTradeNo, order.TransactionId!, command.Refund, paid, order.PayerTotal ?? paid, "商户平台退款", "", WeChatTime.Of(now))
            {
                Status = RefundStatuses.Success,
                SuccessTime = WeChatTime.Of(now),
            };
            ledger.Put(refund);
            ledger.Put(order with { TradeState = TradeStates.Refund });
            return TypedResults.Ok(new InjectedBillRow(order.OutTradeNo, order.TransactionId, refund.OutRefundNo, refund.Refund));
        }
    }
}
