using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Shop.Grains.Observability;
using Shop.Grains.Interfaces.Payments;
using Shop.WeChatPay.Api;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>
/// Asking WeChat Pay instead of waiting to be told: after a prepay the order's transaction is queried at the configured
/// delays (a durable reminder survives restarts; a grain timer hits the exact time while active), and at the order's
/// timeout it is closed.
/// </summary>
public sealed partial class OrderPaymentGrain
{
    private const string ReconcileReminder = "wechatpay-reconcile";

    private IGrainTimer? _reconcileTimer;
    private IGrainReminder? _reconcileReminder;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReconcileReminder)
        {
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

    private async Task ScheduleReconciliationAsync()
    {
        if (NextReconcileAt() is not { } dueAt)
        {
            return;
        }

        var due = dueAt - clock.GetUtcNow();
        due = due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due;
        _reconcileReminder = await this.RegisterOrUpdateReminder(ReconcileReminder, due, TimeSpan.FromMinutes(1));
        _reconcileTimer?.Dispose();
        _reconcileTimer = this.RegisterGrainTimer(_ => ReconcileAsync(), due, Timeout.InfiniteTimeSpan);
    }

    private async Task StopReconciliationAsync()
    {
        _reconcileTimer?.Dispose();
        _reconcileTimer = null;

        // Without a prepay no reminder was ever registered: a payment notification then costs no reminder-table read.
        if (state.State.PrepaidAt is null)
        {
            return;
        }

        if ((_reconcileReminder ?? await this.GetReminder(ReconcileReminder)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reconcileReminder = null;
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
            _reconcileTimer?.Dispose();
            _reconcileTimer = this.RegisterGrainTimer(_ => ReconcileAsync(), early, Timeout.InfiniteTimeSpan);
            return;
        }

        Transaction transaction;
        try
        {
            transaction = await api.QueryByOutTradeNoAsync(OrderNo, _merchant.MchId);
        }
        catch (Exception ex) when (WeChatPayFailures.IsTransient(ex))
        {
            // Not counted as a run: the reminder asks again in a minute.
            Metrics.ReconciliationQueried("failed");
            logger.LogWarning(ex, "Order {OrderNo}: reconciliation query failed; retrying", OrderNo);
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

        await ScheduleReconciliationAsync();
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
