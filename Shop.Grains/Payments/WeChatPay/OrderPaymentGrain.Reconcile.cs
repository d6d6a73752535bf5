using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Shop.Grains.Observability;
using Shop.Grains.Interfaces.Payments;
using Shop.WeChatPay.Api;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>
/// Asking WeChat Pay instead of waiting to be told: after a prepay the order's transaction is queried at the configured
/// delays, and at the order's timeout it is closed. While the grain is active a grain timer hits each time; a durable
/// reminder is registered only when the grain deactivates with a query still to come, so the common purchase (prepay,
/// then the notification within minutes) writes no reminder row at prepay and deletes none at the notification. A
/// silo that dies without deactivating leaves no reminder: the order's timeout, swept from its own table, still asks
/// WeChat Pay before cancelling, so a lost notification is found then at the latest and a paid order is never cancelled.
/// </summary>
public sealed partial class OrderPaymentGrain
{
    private const string ReconcileReminder = "wechatpay-reconcile";

    private IGrainTimer? _reconcileTimer;
    private IGrainReminder? _reconcileReminder;

    /// <summary>An earlier activation, or this one, may have registered the reconcile reminder.</summary>
    private bool _reminderMayExist;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (NextReconcileAt() is not null)
        {
            // Deactivated with a query to come: its reminder may be stored, and this activation keeps the schedule.
            _reminderMayExist = true;
            ArmReconcileTimer();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (NextReconcileAt() is not { } dueAt || _reconcileReminder is not null)
        {
            return;
        }

        try
        {
            _reconcileReminder = await this.RegisterOrUpdateReminder(ReconcileReminder, Until(dueAt), TimeSpan.FromMinutes(1));
            _reminderMayExist = true;
        }
        catch (Exception ex)
        {
            // The order's timeout still asks WeChat Pay before it cancels; only the earlier query is lost.
            logger.LogWarning(ex, "Order {OrderNo}: reconcile reminder not registered on deactivation ({Reason})", OrderNo, reason.ReasonCode);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReconcileReminder)
        {
            // It exists, whatever this activation thought (e.g. one left by an earlier version): removed when done.
            _reminderMayExist = true;
            await ReconcileAsync();
        }
        else if (reminderName == RefundWatchReminder)
        {
            await CheckRefundsAsync();
        }
    }

    public async Task<PaidTransaction?> CloseBeforeCancelAsync(bool shopperWaiting)
    {
        if (_prepaysInFlight > 0)
        {
            // The transaction is being opened right now: cancelling would leave it payable. The caller tries again.
            throw new InvalidOperationException($"Order {OrderNo}: a prepay is under way; close it once it is done.");
        }

        if (state.State.PrepayId is null || state.State.Closed)
        {
            return null;
        }

        Transaction transaction;
        try
        {
            // A shopper's cancel waits on it: close and query share the shopper's budget. The timeout has time to spare.
            transaction = shopperWaiting
                ? await WeChatPayTimeBudget.RunAsync(_merchant.ShopperTimeBudget, CloseThenQueryAsync)
                : await CloseThenQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (WeChatPayFailures.IsTransient(ex))
        {
            // Cancelling now could lose a payment made at the last second: the order tries again on its next reminder.
            throw new InvalidOperationException($"Order {OrderNo}: WeChat Pay could not be asked before closing ({ex.GetType().Name}: {ex.Message}).");
        }

        // The order is waiting on this call: never call back into it from here (the amount is checked by the order).
        if (Paid(transaction, "close") is { } paid)
        {
            return paid;
        }

        if (transaction.TradeState != TradeStates.Closed)
        {
            throw new InvalidOperationException($"Order {OrderNo}: WeChat Pay transaction is {transaction.TradeState} after close.");
        }

        state.State = state.State with { Closed = true };
        await state.WriteStateAsync();
        await StopReconciliationAsync();
        return null;
    }

    private async Task<Transaction> CloseThenQueryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await api.CloseAsync(OrderNo, new CloseOrderRequest(_merchant.MchId), cancellationToken);
        }
        catch (Exception ex) when (ex is not BrokenCircuitException && ex.InnerException is not BrokenCircuitException)
        {
            // A close error is never the answer by itself (paid orders refuse to close): the query decides.
            logger.LogInformation(ex, "Order {OrderNo}: close failed; querying", OrderNo);
        }

        return await api.QueryByOutTradeNoAsync(OrderNo, _merchant.MchId, cancellationToken);
    }

    /// <summary>Aims the timer at the next query, if one is to come; the reminder is left to deactivation.</summary>
    private void ArmReconcileTimer(TimeSpan? after = null)
    {
        _reconcileTimer?.Dispose();
        _reconcileTimer = null;
        if (NextReconcileAt() is { } dueAt)
        {
            _reconcileTimer = this.RegisterGrainTimer(_ => ReconcileAsync(), after ?? Until(dueAt), Timeout.InfiniteTimeSpan);
        }
    }

    private TimeSpan Until(DateTimeOffset dueAt)
    {
        var due = dueAt - clock.GetUtcNow();
        return due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due;
    }

    private async Task StopReconciliationAsync()
    {
        _reconcileTimer?.Dispose();
        _reconcileTimer = null;

        // Only a deactivation registers the reminder: a notification to an order whose grain stayed active since its
        // prepay (nearly all of them) costs no reminder-table read or delete.
        if (!_reminderMayExist)
        {
            return;
        }

        if ((_reconcileReminder ?? await this.GetReminder(ReconcileReminder)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reconcileReminder = null;
        _reminderMayExist = false;
    }

    private DateTimeOffset? NextReconcileAt() =>
        state.State.PrepaidAt is { } at && !state.State.Closed && state.State.ReconcileRuns < _options.ReconcileDelays.Count
            ? at + _options.ReconcileDelays[state.State.ReconcileRuns]
            : null;

    private async Task ReconcileAsync()
    {
        if (NextReconcileAt() is not { } dueAt)
        {
            await StopReconciliationAsync();
            return;
        }

        var early = dueAt - clock.GetUtcNow();
        if (early > TimeSpan.FromMilliseconds(200))
        {
            // Woken early (a reminder tick of an earlier schedule): aim the timer at the real due time.
            ArmReconcileTimer(early);
            return;
        }

        Transaction transaction;
        try
        {
            transaction = await api.QueryByOutTradeNoAsync(OrderNo, _merchant.MchId);
        }
        catch (Exception ex) when (WeChatPayFailures.IsTransient(ex))
        {
            // Not counted as a run: asked again in a minute (by the timer, or the reminder if the grain goes idle first).
            Metrics.ReconciliationQueried("failed");
            logger.LogWarning(ex, "Order {OrderNo}: reconciliation query failed; retrying", OrderNo);
            ArmReconcileTimer(TimeSpan.FromMinutes(1));
            return;
        }

        state.State = state.State with { ReconcileRuns = state.State.ReconcileRuns + 1 };
        await state.WriteStateAsync();
        var found = Paid(transaction, "query");
        Metrics.ReconciliationQueried(found is null ? "unpaid" : "paid");
        if (found is { } paid)
        {
            logger.LogInformation("Order {OrderNo}: reconciliation found payment {TransactionId}", OrderNo, paid.TransactionId);
            await ApplyTransactionAsync(paid);
            return;
        }

        ArmReconcileTimer();
        if (NextReconcileAt() is null)
        {
            await StopReconciliationAsync();
        }
    }

    private ShopGrainMetrics Metrics => ServiceProvider.GetRequiredService<ShopGrainMetrics>();

    private PaidTransaction? Paid(Transaction transaction, string source) =>
        transaction.TradeState is TradeStates.Success or TradeStates.Refund && transaction.TransactionId is { } id && transaction.Amount is { } amount
            ? new PaidTransaction(OrderNo, id, amount.Total, transaction.SuccessTime ?? clock.GetUtcNow(), source)
            : null;
}
