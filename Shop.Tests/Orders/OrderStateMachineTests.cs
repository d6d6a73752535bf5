using Shop.Grains.Interfaces.Orders;
using static Shop.Grains.Interfaces.Orders.OrderStatus;
using static Shop.Grains.Interfaces.Orders.OrderTrigger;

namespace Shop.Tests.Orders;

public sealed class OrderStateMachineTests
{
    // Written out independently of the table in OrderStateMachine: (from, trigger) -> to. Everything else is illegal.
    private static readonly Dictionary<(OrderStatus, OrderTrigger), OrderStatus> Allowed = new()
    {
        [(PendingPayment, Pay)] = Paid,
        [(PendingPayment, CustomerCancel)] = Cancelled,
        [(PendingPayment, PaymentTimeout)] = Cancelled,
        [(Paid, Ship)] = Shipped,
        [(Paid, ShipPart)] = Paid,
        [(Shipped, CorrectShipment)] = Shipped,
        [(Shipped, ConfirmReceipt)] = Completed,
        [(Shipped, AutoComplete)] = Completed,
        [(Paid, RequestRefund)] = Refunding,
        [(Shipped, RequestRefund)] = Refunding,
        [(Completed, RequestRefund)] = Refunding,
        [(Refunding, RefundInFull)] = Refunded,
    };

    public static TheoryData<OrderStatus, OrderTrigger> EveryPair()
    {
        var data = new TheoryData<OrderStatus, OrderTrigger>();
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            foreach (var trigger in Enum.GetValues<OrderTrigger>())
            {
                data.Add(status, trigger);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_status_and_trigger_pair_is_allowed_exactly_as_specified(OrderStatus from, OrderTrigger trigger)
    {
        var allowed = OrderStateMachine.TryTransition(from, trigger, out var next);

        if (Allowed.TryGetValue((from, trigger), out var expected))
        {
            Assert.True(allowed, $"{from} --{trigger}--> should be allowed");
            Assert.Equal(expected, next);
        }
        else
        {
            Assert.False(allowed, $"{from} --{trigger}--> should be illegal");
            Assert.Equal(from, next);
        }
    }

    // A partial refund, and a refund WeChat Pay ended ABNORMAL/CLOSED or refused, go back to where the order was.
    [Theory]
    [InlineData(Paid, RefundPartially)]
    [InlineData(Shipped, RefundPartially)]
    [InlineData(Completed, RefundPartially)]
    [InlineData(Paid, RefundFailed)]
    [InlineData(Shipped, RefundFailed)]
    [InlineData(Completed, RefundFailed)]
    public void A_partial_or_failed_refund_returns_to_the_status_before_the_refund(OrderStatus before, OrderTrigger trigger)
    {
        Assert.True(OrderStateMachine.TryTransition(Refunding, trigger, before, out var next));
        Assert.Equal(before, next);
    }

    [Theory]
    [InlineData(PendingPayment, RefundPartially)]
    [InlineData(Cancelled, RefundPartially)]
    [InlineData(Refunding, RefundPartially)]
    [InlineData(Refunded, RefundPartially)]
    [InlineData(PendingPayment, RefundFailed)]
    [InlineData(Cancelled, RefundFailed)]
    [InlineData(Refunding, RefundFailed)]
    [InlineData(Refunded, RefundFailed)]
    public void A_partial_or_failed_refund_cannot_return_to_a_status_that_could_not_have_requested_it(OrderStatus before, OrderTrigger trigger) =>
        Assert.False(OrderStateMachine.TryTransition(Refunding, trigger, before, out _));

    [Theory]
    [InlineData(RefundPartially)]
    [InlineData(RefundFailed)]
    public void A_partial_or_failed_refund_without_a_known_previous_status_is_refused(OrderTrigger trigger) =>
        Assert.False(OrderStateMachine.TryTransition(Refunding, trigger, out _));

    [Theory]
    [InlineData(PendingPayment)]
    [InlineData(Paid)]
    [InlineData(Shipped)]
    [InlineData(Completed)]
    [InlineData(Cancelled)]
    [InlineData(Refunded)]
    public void A_failed_refund_is_only_possible_while_refunding(OrderStatus from) =>
        Assert.False(OrderStateMachine.TryTransition(from, RefundFailed, Paid, out _));

    [Fact]
    public void Cancelled_and_refunded_are_final_and_nothing_else_is()
    {
        var final = Enum.GetValues<OrderStatus>().Where(OrderStateMachine.IsFinal).ToList();
        Assert.Equal(new[] { Cancelled, Refunded }, final);
    }

    [Fact]
    public void Progress_records_history_and_goes_back_after_a_partial_refund()
    {
        var t0 = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        var progress = OrderProgress.New;

        Assert.True(progress.TryApply(Pay, t0, "wechatpay", "transaction 4200001", out progress));
        Assert.True(progress.TryApply(Ship, t0.AddHours(1), "admin:a1", "SF123", out progress));
        Assert.True(progress.TryApply(RequestRefund, t0.AddHours(2), "customer:u1", "one item broken", out progress));
        Assert.Equal(Shipped, progress.StatusBeforeRefund);
        Assert.True(progress.TryApply(RefundPartially, t0.AddHours(3), "admin:a1", "refund 1 of 2 items", out progress));

        Assert.Equal(Shipped, progress.Status);
        Assert.Null(progress.StatusBeforeRefund);
        Assert.Equal(
            new[] { (PendingPayment, Paid), (Paid, Shipped), (Shipped, Refunding), (Refunding, Shipped) },
            progress.History.Select(h => (h.From, h.To)));
        var refund = progress.History[2];
        Assert.Equal((t0.AddHours(2), "customer:u1", RequestRefund, "one item broken"), (refund.At, refund.Actor, refund.Trigger, refund.Reason));
    }

    [Fact]
    public void Progress_goes_back_after_a_failed_refund_and_can_request_another()
    {
        var t0 = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        var progress = OrderProgress.New;

        Assert.True(progress.TryApply(Pay, t0, "wechatpay", "transaction 4200001", out progress));
        Assert.True(progress.TryApply(RequestRefund, t0.AddHours(1), "admin:a1", "R1: 100 fen", out progress));
        Assert.True(progress.TryApply(RefundFailed, t0.AddHours(2), "wechatpay", "R1 ABNORMAL", out progress));

        Assert.Equal((Paid, (OrderStatus?)null), (progress.Status, progress.StatusBeforeRefund));
        Assert.True(progress.TryApply(RequestRefund, t0.AddHours(3), "admin:a1", "R2: 100 fen", out progress));
        Assert.Equal((Refunding, (OrderStatus?)Paid), (progress.Status, progress.StatusBeforeRefund));
    }

    [Fact]
    public void An_illegal_trigger_leaves_progress_untouched()
    {
        var progress = OrderProgress.New;

        Assert.False(progress.TryApply(Ship, DateTimeOffset.UnixEpoch, "admin:a1", null, out var next));
        Assert.Null(next);
        Assert.Equal(PendingPayment, progress.Status);
        Assert.Empty(progress.History);
    }
}
