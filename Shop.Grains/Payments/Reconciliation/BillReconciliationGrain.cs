using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Interfaces.Payments.Reconciliation;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Bills;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>
/// Reconciles one bill date. The run goes on in a timer of this activation (so a start returns at once); a durable
/// reminder, removed only when the run completes, brings the date back after a crash or a failure and the run is
/// redone from the start: the bills are fetched again, settlements are idempotent (by transaction id and
/// out_refund_no) and the result is written in one transaction that replaces the previous one.
/// </summary>
public sealed partial class BillReconciliationGrain(
    ReconciliationStore store,
    IWeChatPayBillApi bills,
    WeChatPayBillDownloader downloader,
    IOptions<ReconciliationOptions> options,
    ReconciliationMetrics metrics,
    TimeProvider clock,
    ILogger<BillReconciliationGrain> logger) : Grain, IBillReconciliationGrain, IRemindable
{
    private const string RetryReminder = "bill-run";
    private const int Batch = 500;
    private const int MaxRecordedPages = 1000;
    private const int Parallelism = 8;
    private static readonly OrderCaller Caller = new(ReconciliationStore.SystemActor, IsAdmin: true);
    private static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web);

    private bool _running;
    private IGrainTimer? _timer;

    private DateOnly Date => DateOnly.ParseExact(this.GetPrimaryKeyString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public Task<BillRunView?> GetAsync() => store.GetRunAsync(Date);

    public async Task<BillRunView> StartAsync(string requestedBy, bool rerun)
    {
        var current = await store.GetRunAsync(Date);
        if (_running || (current is { Status: BillRunStatuses.Completed } && !rerun))
        {
            return current!;
        }

        // An operator's re-run waits for the bills afresh; the reminder's retries keep counting from the first wait.
        var run = await store.BeginRunAsync(Date, requestedBy, clock.GetUtcNow(), restartWait: rerun);
        _running = true;
        await this.RegisterOrUpdateReminder(RetryReminder, options.Value.RetryEvery, options.Value.RetryEvery);
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(_ => RunAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        return run;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_running)
        {
            return;
        }

        var current = await store.GetRunAsync(Date);
        if (current is { Status: BillRunStatuses.Completed })
        {
            await StopRetryingAsync();
            return;
        }

        await StartAsync(current?.RequestedBy ?? ReconciliationStore.SystemActor, rerun: false);
    }

    private async Task RunAsync()
    {
        try
        {
            var (findings, news) = await ReconcileAsync();
            metrics.Found(news);
            logger.LogInformation("Bills of {BillDate} reconciled: {Differences} differences, {Settled} settled", Date, findings.Count,
                findings.Count(f => f.Status == DifferenceStatuses.Settled));
            await StopRetryingAsync();
        }
        catch (BillNotReadyException ex)
        {
            await WaitForBillsAsync(ex);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Reconciliation of the bills of {BillDate} failed; retried in {RetryEvery}", Date, options.Value.RetryEvery);
            try
            {
                await store.FailRunAsync(Date, $"{ex.GetType().Name}: {ex.Message}", clock.GetUtcNow());
            }
            catch (Exception storeError)
            {
                logger.LogWarning(storeError, "The failure of {BillDate} could not be recorded", Date);
            }
        }
        finally
        {
            _running = false;
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>The run's findings, and those of them that are news (see <see cref="ReconciliationStore.CompleteRunAsync"/>).</summary>
    private async Task<(IReadOnlyList<Finding> Findings, IReadOnlyList<Finding> News)> ReconcileAsync()
    {
        var date = Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var trade = await FetchAsync(() => bills.ApplyTradeBillAsync(date, TradeBillTypes.All, BillTarTypes.Gzip), TradeBill.Parse);
        var fund = await FetchAsync(() => bills.ApplyFundFlowBillAsync(date, FundAccountTypes.Basic, BillTarTypes.Gzip), FundFlowBill.Parse);

        var orders = new Dictionary<string, ShopOrderFacts>(StringComparer.Ordinal);
        foreach (var chunk in (trade?.Rows ?? []).Select(r => r.OutTradeNo).Distinct().Chunk(Batch))
        {
            foreach (var (orderNo, facts) in await store.LoadOrdersAsync(chunk))
            {
                orders[orderNo] = facts;
            }
        }

        var matcher = new BillMatcher(orders, await AutomaticRefundsAsync(trade, orders));
        if (trade is not null)
        {
            matcher.MatchTrade(trade);
        }

        if (fund is not null)
        {
            matcher.MatchFundFlow(fund, trade);
        }

        matcher.MatchRecorded(await RecordedPaymentsAsync(), trade);
        matcher.MatchRecordedRefunds(await RecordedRefundsAsync(), trade);
        var findings = await SettleAsync(matcher.Findings);
        var news = await store.CompleteRunAsync(Date, StoredRows(trade, fund, matcher), findings, clock.GetUtcNow());
        return (findings, news);
    }

    /// <summary>The bill, or null when WeChat Pay has none for the day (no transaction: NO_STATEMENT_EXIST).</summary>
    private async Task<T?> FetchAsync<T>(Func<Task<BillApplication>> apply, Func<string, T> parse) where T : class
    {
        BillApplication application;
        try
        {
            application = await apply();
        }
        catch (WeChatPayApiException ex) when (ex.IsCode("NO_STATEMENT_EXIST"))
        {
            return null;
        }
        catch (WeChatPayApiException ex) when (ex.IsCode("STATEMENT_CREATING"))
        {
            throw new BillNotReadyException($"{ex.Code}: {ex.WeChatMessage}");
        }

        var content = await downloader.DownloadAsync(application, gzip: true);
        return parse(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content));
    }

    /// <summary>Refunds the order did not make itself are the payment grain's automatic ones (a payment on a cancelled order).</summary>
    private async Task<Dictionary<string, AutomaticRefund>> AutomaticRefundsAsync(TradeBill? trade, Dictionary<string, ShopOrderFacts> orders)
    {
        var ask = (trade?.Rows ?? []).Where(r => r.IsRefund && orders.TryGetValue(r.OutTradeNo, out var o) && o.Refunds.All(x => x.OutRefundNo != r.OutRefundNo))
            .Select(r => r.OutTradeNo).Distinct().ToList();
        var found = new Dictionary<string, AutomaticRefund>(StringComparer.Ordinal);
        foreach (var chunk in ask.Chunk(Parallelism))
        {
            foreach (var summary in await Task.WhenAll(chunk.Select(no => GrainFactory.GetGrain<IOrderPaymentGrain>(no).GetAsync())))
            {
                foreach (var refund in summary.AutomaticRefunds)
                {
                    found[refund.OutRefundNo] = refund;
                }
            }
        }

        return found;
    }

    private async Task<List<ShopPaymentOnDay>> RecordedPaymentsAsync()
    {
        var start = ReconciliationOptions.DayStart(Date);
        var all = new List<ShopPaymentOnDay>();
        ShopPaymentOnDay? after = null;
        for (var page = 0; page < MaxRecordedPages; page++)
        {
            var rows = await store.PaymentsBetweenAsync(start, start.AddDays(1), options.Value.MissingFromBillWindow, after, Batch);
            all.AddRange(rows);
            if (rows.Count < Batch)
            {
                break;
            }

            after = rows[^1];
        }

        return all;
    }

    private async Task StopRetryingAsync()
    {
        if (await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
