using System.Text.Json.Nodes;
using Shop.WeChatPay.Api;

namespace Shop.WeChatPay.Simulator.Payments;

/// <summary>Orders are per merchant: out_trade_no is unique only within one mchid.</summary>
internal readonly record struct OrderKey(string MchId, string OutTradeNo);

/// <summary>
/// A JSAPI order as WeChat Pay keeps it. <see cref="Request"/> is the prepay body, so an identical re-send can be
/// told apart from a different order under the same number. Amounts are fen.
/// </summary>
internal sealed record SimOrder(
    string MchId,
    string AppId,
    string OutTradeNo,
    string Description,
    string? Attach,
    string NotifyUrl,
    long Total,
    string OpenId,
    JsonObject Request,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    public static readonly TimeSpan PrepayIdLifetime = TimeSpan.FromHours(2);

    public OrderKey Key => new(MchId, OutTradeNo);

    public required string PrepayId { get; init; }

    public required DateTimeOffset PrepayIssuedAt { get; init; }

    public string TradeState { get; init; } = TradeStates.NotPay;

    public string? TransactionId { get; init; }

    public DateTimeOffset? SuccessTime { get; init; }

    /// <summary>amount.total as paid: normally <see cref="Total"/>; a test control can make it differ.</summary>
    public long? PaidTotal { get; init; }

    public long? PayerTotal { get; init; }

    public string? PayerOpenId { get; init; }

    public bool IsPaid => TradeState is TradeStates.Success or TradeStates.Refund;

    public bool IsPrepayIdCurrent(DateTimeOffset now) => now - PrepayIssuedAt < PrepayIdLifetime;
}
