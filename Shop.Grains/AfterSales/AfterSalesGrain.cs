using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Infrastructure;

namespace Shop.Grains.AfterSales;

/// <summary>
/// One after-sales request for its whole life. Every move is decided by <see cref="AfterSalesStateMachine"/>, recorded
/// on the order first (history, event log, the lines' claim; idempotent by the move's number) and then stored in the
/// request's own row: a move interrupted between the two is repeated by the next call or sweep and recorded once.
/// </summary>
public sealed partial class AfterSalesGrain(
    IAfterSalesStore store,
    IOptions<AfterSalesOptions> options,
    [FromKeyedServices(AfterSalesRegistration.ClockKey)] TimeProvider clock,
    ILogger<AfterSalesGrain> logger) : Grain, IAfterSalesGrain
{
    private readonly AfterSalesOptions _options = options.Value;
    private AfterSalesRequest? _request;
    private long _version;

    private string RequestId => this.GetPrimaryKeyString();

    private IOrderAfterSalesGrain Order => GrainFactory.GetGrain<IOrderAfterSalesGrain>(_request!.OrderNo);

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        (_request, _version) = await store.LoadAsync(RequestId, cancellationToken);

    public async Task<AfterSalesRequest> OpenAsync(AfterSalesRequest request)
    {
        if (_request is null)
        {
            await SaveAsync(request);
        }

        return _request!;
    }

    public Task<AfterSalesOutcome> GetAsync(AfterSalesCaller caller) =>
        Task.FromResult(CanSee(caller) ? AfterSalesOutcome.Ok(_request!) : AfterSalesOutcome.NotFound);

    public Task<AfterSalesOutcome> ApproveAsync(AfterSalesCaller caller, string? reason) =>
        AsMerchant(caller, () => MoveAsync(AfterSalesTrigger.Approve, caller.Actor, reason ?? "approved"));

    public Task<AfterSalesOutcome> RejectAsync(AfterSalesCaller caller, string reason) =>
        AsMerchant(caller, () => MoveAsync(AfterSalesTrigger.Reject, caller.Actor, reason));

    public Task<AfterSalesOutcome> WithdrawAsync(AfterSalesCaller caller) =>
        AsOwner(caller, () => MoveAsync(AfterSalesTrigger.Withdraw, caller.Actor, "withdrawn by the customer"));

    public Task<AfterSalesOutcome> SubmitReturnAsync(AfterSalesCaller caller, string carrier, string trackingNo) =>
        AsOwner(caller, () => MoveAsync(AfterSalesTrigger.SubmitReturn, caller.Actor, $"{carrier} {trackingNo}",
            r => r with { ReturnShipment = new ReturnShipment(carrier, trackingNo, clock.GetUtcNow()) }));

    public Task<AfterSalesOutcome> ConfirmReceiptAsync(AfterSalesCaller caller, bool restock) =>
        AsMerchant(caller, () => MoveAsync(AfterSalesTrigger.ConfirmReceipt, caller.Actor,
            restock ? "goods received, back into stock" : "goods received, not put back into stock", r => r with { Restock = restock }));

    public Task<AfterSalesOutcome> RejectGoodsAsync(AfterSalesCaller caller, string reason) =>
        AsMerchant(caller, () => MoveAsync(AfterSalesTrigger.RejectGoods, caller.Actor, reason));

    public async Task WakeAsync()
    {
        if (_request is not { DueAt: { } due } request || due > clock.GetUtcNow())
        {
            return;
        }

        switch (request.Status)
        {
            case AfterSalesStatus.Requested:
                await MoveAsync(AfterSalesTrigger.AutoApprove, "system", $"no decision within {_options.MerchantResponseTime}");
                break;
            case AfterSalesStatus.AwaitingReturn:
                await MoveAsync(AfterSalesTrigger.ReturnDeadlinePassed, "system", $"no return shipment within {_options.ReturnShippingDeadline}");
                break;
            case AfterSalesStatus.Refunding:
                await FollowRefundAsync();
                break;
            default:
                await SaveAsync(request with { DueAt = null });
                break;
        }
    }

    public async Task RefundSettledAsync()
    {
        if (_request?.Status == AfterSalesStatus.Refunding)
        {
            await FollowRefundAsync();
        }
    }

    private bool CanSee(AfterSalesCaller caller) => _request is not null && (caller.IsAdmin || caller.UserId == _request.UserId);

    private Task<AfterSalesOutcome> AsMerchant(AfterSalesCaller caller, Func<Task<AfterSalesOutcome>> move) =>
        _request is not null && caller.IsAdmin ? move() : Task.FromResult(AfterSalesOutcome.NotFound);

    private Task<AfterSalesOutcome> AsOwner(AfterSalesCaller caller, Func<Task<AfterSalesOutcome>> move) =>
        _request is not null && !caller.IsAdmin && caller.UserId == _request.UserId ? move() : Task.FromResult(AfterSalesOutcome.NotFound);

    /// <summary>The move (when the table allows it), recorded on the order, then stored; a refund follows at once.</summary>
    private async Task<AfterSalesOutcome> MoveAsync(AfterSalesTrigger trigger, string actor, string? reason, Func<AfterSalesRequest, AfterSalesRequest>? change = null)
    {
        var request = _request!;
        if (!AfterSalesStateMachine.TryTransition(request.Kind, request.Status, trigger, out var to))
        {
            return new(AfterSalesOutcomeStatus.InvalidTransition, request, $"A {request.Kind} request in status {request.Status} cannot {trigger}.");
        }

        var now = clock.GetUtcNow();
        var entry = new AfterSalesHistoryEntry(now, actor, trigger, request.Status, to, reason);
        var next = (change?.Invoke(request) ?? request) with
        {
            Status = to,
            UpdatedAt = now,
            DueAt = to switch
            {
                AfterSalesStatus.AwaitingReturn => now + _options.ReturnShippingDeadline,
                AfterSalesStatus.Refunding => now,
                _ => null,
            },
            History = [.. request.History, entry],
        };
        await Order.RecordAfterSalesAsync(new AfterSalesChange(RequestId, next.History.Count, entry));
        await SaveAsync(next);
        if (to == AfterSalesStatus.Refunding)
        {
            await FollowRefundAsync();
        }

        return AfterSalesOutcome.Ok(_request!);
    }

    private async Task SaveAsync(AfterSalesRequest next)
    {
        try
        {
            await store.SaveAsync(next, _version);
        }
        catch (AfterSalesVersionConflictException conflict)
        {
            // Another activation wrote first (for a moment while a silo died): the caller retries against the stored row.
            DeactivateOnIdle();
            throw new InfrastructureUnavailableException(conflict.Message);
        }
        catch
        {
            // Whether the row changed is unknown: read it again next time.
            DeactivateOnIdle();
            throw;
        }

        ServiceProvider.GetService<AfterSalesMetrics>()?.Changed(_request, next);
        _request = next;
        _version++;
    }
}
