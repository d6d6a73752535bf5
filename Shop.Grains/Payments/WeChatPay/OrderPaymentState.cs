namespace Shop.Grains.Payments.WeChatPay;

/// <summary>The WeChat Pay transaction of one order (out_trade_no = order number).</summary>
public sealed record OrderPaymentState
{
    public string? PrepayId { get; init; }

    public string? PayerOpenId { get; init; }

    public DateTimeOffset? PrepaidAt { get; init; }

    /// <summary>How many of the configured reconciliation queries have run.</summary>
    public int ReconcileRuns { get; init; }

    /// <summary>Set once the transaction is closed at WeChat Pay (the order timed out unpaid).</summary>
    public bool Closed { get; init; }

    /// <summary>Refunds of payments that arrived after the order was cancelled (out_refund_no derived from the transaction).</summary>
    public System.Collections.Immutable.ImmutableList<Shop.Grains.Interfaces.Payments.AutomaticRefund> AutomaticRefunds { get; init; } = [];
}
