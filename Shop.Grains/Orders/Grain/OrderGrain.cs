using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// One order for its whole life. Every change is one write of the order's row (state and history), which appends the
/// change's events to the order event log in the same transaction; with relays beyond the log (Kafka), the events also
/// wait in the row's outbox, are relayed after the write and dropped from the outbox once every sink has them.
/// </summary>
/// <remarks>
/// Placed on the silo that creates it (the order creation grain that minted its number), so its first activation knows
/// there is no row to read; later callers (the API, payments) find it wherever it lives.
/// </remarks>
[PreferLocalPlacement]
public sealed partial class OrderGrain(
    [PersistentState("order", OrderGrainStorage.Name)] IPersistentState<OrderState> state,
    PersonalDataProtector protector,
    ReservationCoalescer reservations,
    IOrderEventPublisher publisher,
    IOptions<OrderOptions> options,
    [FromKeyedServices(OrdersRegistration.ClockKey)] TimeProvider clock,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain, IRemindable
{
    private readonly OrderOptions _options = options.Value;

    /// <summary>True when memory is ahead of the row only by housekeeping (published events, released stock).</summary>
    private bool _housekeepingUnsaved;

    private OrderState Order => state.State;

    private string OrderNo => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Order.Exists)
        {
            // Whatever was due while no activation existed (timeout, release, publish) is checked right away.
            ScheduleDueWork(clock.GetUtcNow());
            SchedulePublishRetry(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_housekeepingUnsaved)
        {
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception ex)
            {
                // Harmless: the next activation republishes (sinks dedupe) or releases again (idempotent).
                logger.LogWarning(ex, "Order {OrderNo}: housekeeping not saved on deactivation", OrderNo);
            }
        }
    }

    public Task<OrderOutcome> GetAsync(OrderCaller caller) =>
        Task.FromResult(CanSee(caller) ? OrderOutcome.Ok(View()) : OrderOutcome.NotFound);

    private bool IsReal => Order.Exists && Order.Phase == OrderPhase.Active;

    private bool CanSee(OrderCaller caller) => IsReal && (caller.IsAdmin || caller.UserId == Order.UserId);

    private bool IsOwner(OrderCaller caller) => IsReal && caller.UserId == Order.UserId;

    private OrderView View() => new(
        Order.OrderNo, Order.UserId, Order.Progress.Status, Order.Lines, Order.TotalFen,
        protector.Unprotect(Order.Shipping!, Order.OrderNo), RemarkText, Order.CreatedAt, Order.ExpiresAt, Order.UpdatedAt,
        Order.Progress.History, Order.Payments, Order.Shipment, Order.StockShortfall, Order.Refunds, Order.Fulfilment, Order.ShippingFeeFen);

    private string? RemarkText => Order.ProtectedRemark is { } sealedRemark ? protector.UnprotectRemark(sealedRemark, OrderNo) : Order.Remark;

    private static OrderOutcome InvalidTransition(OrderStatus status, OrderTrigger trigger) =>
        new(OrderOutcomeStatus.InvalidTransition, Detail: $"An order in status {status} cannot {trigger}.");

    /// <summary>The order after <paramref name="trigger"/>, or null when the transition table does not allow it.</summary>
    private OrderState? Move(OrderTrigger trigger, string actor, string? reason)
    {
        var now = clock.GetUtcNow();
        return Order.Progress.TryApply(trigger, now, actor, reason, out var next)
            ? Order with { Progress = next, UpdatedAt = now }
            : null;
    }

    /// <summary>
    /// The change with its event: logged by the write that stores the change, and kept in the outbox for the relays
    /// (Kafka) when there are any, to pass on after that write.
    /// </summary>
    private OrderState WithEvent(OrderState order, OrderEvent e)
    {
        var envelope = e.ToEnvelope();
        return order with
        {
            Unlogged = order.Unlogged.Add(envelope),
            Outbox = publisher.HasRelays ? order.Outbox.Add(envelope) : order.Outbox,
        };
    }

    private (Guid EventId, DateTimeOffset OccurredAt) Stamp() => OrderEvent.Stamp(clock);

    /// <summary>Stores <paramref name="next"/> (one write, with when it is next due), then publishes its pending events.</summary>
    private async Task CommitAsync(OrderState next)
    {
        var previous = state.State;
        state.State = next with { DueAt = NextDue(next) };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Whether the row changed is unknown (a commit can succeed and its answer be lost): memory must not claim
            // either way. The next call reads the row in a new activation.
            state.State = previous;
            _housekeepingUnsaved = false;
            DeactivateOnIdle();
            throw;
        }

        state.State = state.State with { Unlogged = [] };
        _housekeepingUnsaved = false;
        AfterCommit(previous, state.State);
        await PublishPendingAsync();
    }

    private async Task PublishPendingAsync()
    {
        if (Order.Outbox.IsEmpty)
        {
            return;
        }

        var remaining = await publisher.PublishPendingAsync(Order.Outbox);
        if (!ReferenceEquals(remaining, Order.Outbox))
        {
            // Not written now (that would be a second statement per change): the next write, or deactivation, stores it.
            state.State = Order with { Outbox = remaining };
            _housekeepingUnsaved = true;
        }

        if (!remaining.IsEmpty)
        {
            SchedulePublishRetry(_options.OutboxRetry);
        }
    }

    private IInventoryGrain Inventory(string productId) => GrainFactory.GetGrain<IInventoryGrain>(productId);

    /// <summary>
    /// Releases every reservation (idempotent in inventory, so repeating it never releases twice), then stores that it
    /// is done; until then the row stays due, so the sweep retries a release that failed or was interrupted.
    /// </summary>
    private async Task ReleaseStockAsync()
    {
        var results = await Task.WhenAll(Order.Holds.Select(h => Inventory(h.ProductId).ReleaseAsync(h.ReservationId)));
        if (results.Any(r => r.Status == ReleaseStatus.AlreadyConfirmed))
        {
            logger.LogError("Order {OrderNo}: a reservation was already sold while releasing", OrderNo);
        }

        await ReturnQuotaAsync();

        await CommitAsync(Order with { Stock = StockPhase.Released });
    }

    /// <summary>When the order must next act by itself, or null: what the due-order sweep looks for.</summary>
    private DateTimeOffset? NextDue(OrderState order) => Earliest(NextStatusDue(order), ShippingUploadDue(order));

    private DateTimeOffset? NextStatusDue(OrderState order) => order switch
    {
        { Phase: OrderPhase.Reserving } => order.ExpiresAt,
        { Phase: not OrderPhase.Active } => null,
        { Stock: StockPhase.Releasing } => order.UpdatedAt,
        { Progress.Status: OrderStatus.PendingPayment } => order.ExpiresAt,
        { Progress.Status: OrderStatus.Shipped, Shipment: { } shipment } => shipment.ShippedAt + _options.AutoCompleteAfterShipping,
        _ => null,
    };
}
