using Orleans.Concurrency;

namespace Shop.Grains.Interfaces.AfterSales;

/// <summary>
/// One after-sales request (key = its request id) for its whole life: it decides its moves by
/// <see cref="AfterSalesStateMachine"/>, records each in the order's history and event log (through
/// <see cref="IOrderAfterSalesGrain"/>, which also keeps the money within what the lines were paid), and stores its row.
/// A caller that may not see the request gets NotFound, exactly like a request that does not exist.
/// </summary>
[Alias("Shop.AfterSales.IAfterSalesGrain")]
public interface IAfterSalesGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the request the order has just accepted; repeating it returns what is stored. Interleaved: the order may
    /// call it (a retried open) while this request waits on the order, and it only ever creates the row.
    /// </summary>
    [AlwaysInterleave, Alias("Open")]
    Task<AfterSalesRequest> OpenAsync(AfterSalesRequest request);

    [Alias("Get")]
    Task<AfterSalesOutcome> GetAsync(AfterSalesCaller caller);

    [Alias("Approve")]
    Task<AfterSalesOutcome> ApproveAsync(AfterSalesCaller caller, string? reason);

    [Alias("Reject")]
    Task<AfterSalesOutcome> RejectAsync(AfterSalesCaller caller, string reason);

    [Alias("Withdraw")]
    Task<AfterSalesOutcome> WithdrawAsync(AfterSalesCaller caller);

    [Alias("SubmitReturn")]
    Task<AfterSalesOutcome> SubmitReturnAsync(AfterSalesCaller caller, string carrier, string trackingNo);

    /// <summary>The merchant has the goods back; <paramref name="restock"/>: the units go back into available stock.</summary>
    [Alias("ConfirmReceipt")]
    Task<AfterSalesOutcome> ConfirmReceiptAsync(AfterSalesCaller caller, bool restock);

    [Alias("RejectGoods")]
    Task<AfterSalesOutcome> RejectGoodsAsync(AfterSalesCaller caller, string reason);

    /// <summary>Does whatever time made due (automatic approval, the return deadline, following the refund); idempotent.</summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>The order saw WeChat Pay settle this request's refund: follow it now rather than at the next sweep.</summary>
    [OneWay, Alias("RefundSettled")]
    Task RefundSettledAsync();
}
