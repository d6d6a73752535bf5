using System.Collections.Immutable;
using Shop.Grains.Interfaces.AfterSales;

namespace Shop.Grains.AfterSales;

/// <summary>
/// What one after-sales request holds of its order, kept on the order itself so that the order, one call at a time,
/// decides every claim: the request as opened (enough to store its grain again), its status as last recorded, how many
/// of its moves are recorded (<see cref="Seq"/>), and the out_refund_no of each refund attempt.
/// </summary>
public sealed record AfterSalesClaim(AfterSalesRequest Opened, AfterSalesStatus Status, int Seq, ImmutableList<string> RefundNos)
{
    public string RequestId => Opened.RequestId;

    public bool HoldsLines => AfterSalesStateMachine.HoldsLines(Status);

    public bool IsOpen => !AfterSalesStateMachine.IsFinal(Status);
}

/// <summary>The after-sales request's moves as order events (no personal data: reasons and notes stay on the request).</summary>
public sealed record AfterSalesProgressed(Guid EventId, string OrderNo, DateTimeOffset OccurredAt, string RequestId, string Kind,
    string Trigger, string? From, string To, long AmountFen, string Actor) : Orders.OrderEvent(EventId, OrderNo, OccurredAt);
