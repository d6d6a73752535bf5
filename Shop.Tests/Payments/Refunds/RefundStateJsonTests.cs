using System.Text.Json;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Orders;

namespace Shop.Tests.Payments.Refunds;

/// <summary>The key → out_refund_no mapping must outlive the activation: it is stored in the order's row, as JSON.</summary>
public sealed class RefundStateJsonTests
{
    [Fact]
    public void Refunds_and_their_idempotency_keys_survive_the_order_row_round_trip()
    {
        var at = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        Assert.True(OrderProgress.New.TryApply(OrderTrigger.Pay, at, "wechatpay", "t1", out var progress));
        Assert.True(progress.TryApply(OrderTrigger.RequestRefund, at, "admin:a1", "R-01", out progress));
        Assert.True(progress.TryApply(OrderTrigger.RefundFailed, at, "wechatpay", "R-01 ABNORMAL", out progress));
        var state = new OrderState
        {
            OrderNo = "2026112700000000000000000001",
            Phase = OrderPhase.Active,
            Progress = progress,
            Refunds =
            [
                new OrderRefund("R2026112700000000000000000001-01", 1_000, "破损", RefundStates.Abnormal, "admin:a1", "key-1", at, at.AddMinutes(1), "50300"),
                new OrderRefund("R2026112700000000000000000001-02", 500, "补差价", RefundStates.Submitting, "admin:a2", "key-2", at.AddMinutes(2), at.AddMinutes(2), null),
            ],
        };

        var row = OrderStateJson.ToRow(state);
        var read = JsonSerializer.Deserialize<OrderState>(row.StateJson, OrderStateJson.Options)!;

        Assert.Equal(state.Refunds, read.Refunds);
        Assert.Equal(OrderStatus.Paid, read.Progress.Status);
        Assert.Equal(OrderTrigger.RefundFailed, read.Progress.History[^1].Trigger);
    }
}
