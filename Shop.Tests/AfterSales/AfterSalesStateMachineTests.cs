using Shop.Grains.Interfaces.AfterSales;
using static Shop.Grains.Interfaces.AfterSales.AfterSalesStatus;
using static Shop.Grains.Interfaces.AfterSales.AfterSalesTrigger;

namespace Shop.Tests.AfterSales;

/// <summary>The after-sales table, pair by pair: a move not listed here must be refused.</summary>
public sealed class AfterSalesStateMachineTests
{
    private static readonly Dictionary<(AfterSalesKind, AfterSalesStatus, AfterSalesTrigger), AfterSalesStatus> Allowed = new()
    {
        [(AfterSalesKind.RefundOnly, Requested, Approve)] = Refunding,
        [(AfterSalesKind.RefundOnly, Requested, AutoApprove)] = Refunding,
        [(AfterSalesKind.ReturnAndRefund, Requested, Approve)] = AwaitingReturn,
        [(AfterSalesKind.ReturnAndRefund, Requested, AutoApprove)] = AwaitingReturn,
        [(AfterSalesKind.RefundOnly, Requested, Reject)] = Rejected,
        [(AfterSalesKind.ReturnAndRefund, Requested, Reject)] = Rejected,
        [(AfterSalesKind.RefundOnly, Requested, Withdraw)] = Withdrawn,
        [(AfterSalesKind.ReturnAndRefund, Requested, Withdraw)] = Withdrawn,
        [(AfterSalesKind.ReturnAndRefund, AwaitingReturn, SubmitReturn)] = ReturnShipped,
        [(AfterSalesKind.ReturnAndRefund, AwaitingReturn, Withdraw)] = Withdrawn,
        [(AfterSalesKind.ReturnAndRefund, AwaitingReturn, ReturnDeadlinePassed)] = Closed,
        [(AfterSalesKind.ReturnAndRefund, ReturnShipped, ConfirmReceipt)] = Refunding,
        [(AfterSalesKind.ReturnAndRefund, ReturnShipped, RejectGoods)] = GoodsRejected,
        [(AfterSalesKind.RefundOnly, Refunding, RefundSucceeded)] = Refunded,
        [(AfterSalesKind.ReturnAndRefund, Refunding, RefundSucceeded)] = Refunded,
    };

    [Fact]
    public void Every_kind_status_and_trigger_is_allowed_exactly_as_specified()
    {
        foreach (var kind in Enum.GetValues<AfterSalesKind>())
        {
            foreach (var from in Enum.GetValues<AfterSalesStatus>())
            {
                foreach (var trigger in Enum.GetValues<AfterSalesTrigger>())
                {
                    var allowed = AfterSalesStateMachine.TryTransition(kind, from, trigger, out var to);
                    Assert.True(Allowed.TryGetValue((kind, from, trigger), out var expected) == allowed, $"{kind} {from} {trigger}");
                    if (allowed)
                    {
                        Assert.Equal(expected, to);
                    }
                }
            }
        }
    }

    [Fact]
    public void Only_requests_that_ended_without_a_refund_give_their_lines_back()
    {
        Assert.Equal([Rejected, Withdrawn, Closed, GoodsRejected], Enum.GetValues<AfterSalesStatus>().Where(s => !AfterSalesStateMachine.HoldsLines(s)));
        Assert.Equal([Refunded, Rejected, Withdrawn, Closed, GoodsRejected], Enum.GetValues<AfterSalesStatus>().Where(AfterSalesStateMachine.IsFinal));
    }
}
