using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.AfterSales;

/// <summary>A customer's request for some lines of an order, already checked for shape by the API.</summary>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.OpenAfterSalesCommand")]
public sealed record OpenAfterSalesCommand(
    [property: Id(0)] AfterSalesKind Kind,
    [property: Id(1)] IReadOnlyList<AfterSalesLineRequest> Lines,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? Note,
    [property: Id(4)] IReadOnlyList<string> PhotoUrls);

[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesLineRequest")]
public sealed record AfterSalesLineRequest([property: Id(0)] int LineNo, [property: Id(1)] int Quantity);

/// <summary>A move of a request, to be recorded on its order. <see cref="Seq"/> (the request's history length) makes it idempotent.</summary>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesChange")]
public sealed record AfterSalesChange(
    [property: Id(0)] string RequestId,
    [property: Id(1)] int Seq,
    [property: Id(2)] AfterSalesHistoryEntry Entry);

[GenerateSerializer, Alias("Shop.AfterSales.AfterSalesRefundState")]
public enum AfterSalesRefundState
{
    /// <summary>Sent, WeChat Pay has not settled it yet (or could not be reached: it is re-sent).</summary>
    InFlight,

    /// <summary>Another refund of the order is in flight, or the order is between states: ask again later.</summary>
    Waiting,

    Succeeded,

    /// <summary>WeChat Pay refused or closed it: nothing was refunded; the next attempt makes a new refund.</summary>
    Failed,
}

/// <param name="Unshipped">
/// A refund only, refunded before the order shipped: its units never left and go back into stock (once refund-only
/// requests cover every unit of every line, the order is Refunded and nothing is ever shipped).
/// </param>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesRefundProgress")]
public sealed record AfterSalesRefundProgress(
    [property: Id(0)] AfterSalesRefundState State,
    [property: Id(1)] string? OutRefundNo,
    [property: Id(2)] bool Unshipped,
    [property: Id(3)] string? Detail);

/// <summary>
/// The after-sales side of an order (implemented by the order grain, key = order number): one call at a time per
/// order, so two requests racing for the same lines can never together claim more than the lines were paid.
/// </summary>
[Alias("Shop.AfterSales.IOrderAfterSalesGrain")]
public interface IOrderAfterSalesGrain : IGrainWithStringKey
{
    /// <summary>Checks the window and what each line has left, claims the lines, records the request and stores its grain.</summary>
    [Alias("OpenAfterSales")]
    Task<AfterSalesOutcome> OpenAfterSalesAsync(OrderCaller caller, OpenAfterSalesCommand command);

    /// <summary>Records a move in the order's history and event log (and gives the lines back when the request ended without a refund).</summary>
    [Alias("RecordAfterSales")]
    Task RecordAfterSalesAsync(AfterSalesChange change);

    /// <summary>Starts (attempt <paramref name="attempt"/>) or follows the refund of an approved request through the order's refunds.</summary>
    [Alias("RefundAfterSales")]
    Task<AfterSalesRefundProgress> RefundAfterSalesAsync(string requestId, int attempt);
}
