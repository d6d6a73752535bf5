using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Fulfilment;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Cart;
using Shop.Grains.Interfaces.Ids;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Payments;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Interfaces.Shipping;
using Shop.Grains.Payments.WeChatPay;

namespace Shop.Grains.PersonalData.Erasure;

/// <summary>
/// One customer's erasure (key: <see cref="ErasureKeys.LookupKey"/>). Each run asks every order still under the user id
/// to erase itself; an order in a payment, refund or after-sales window says until when it waits, and the request stays
/// Pending with a due time the personal-data sweep acts on (so it completes by itself, across restarts). For each
/// erased order it then erases what other grains and tables hold of it; the cart, the address book and the export budget go at
/// once, and the operators' access log names the pseudonym. Once nothing waits the
/// request completes and its row forgets the user id and the pseudonym (nothing links the two any more).
/// </summary>
public sealed class ErasureGrain(
    IErasureStore store,
    ErasureMetrics metrics,
    IOptions<PrivacyOptions> options,
    [FromKeyedServices(PrivacyRegistration.ClockKey)] TimeProvider clock,
    ILogger<ErasureGrain> logger) : Grain, IErasureGrain
{
    private const int PageSize = 100;
    private static readonly TimeSpan AfterDeadline = TimeSpan.FromSeconds(1);

    private ErasureRecord? _record;
    private long _version;

    private string LookupKey => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        (_record, _version) = await store.LoadAsync(LookupKey, cancellationToken);

    public async Task<ErasureRequestView> RequestAsync(string userId, string requestedBy)
    {
        if (ErasureKeys.LookupKey(userId) != LookupKey)
        {
            throw new ArgumentException("The user id does not belong to this erasure request.", nameof(userId));
        }

        if (_record is not { Status: ErasureStatus.Pending })
        {
            var now = clock.GetUtcNow();
            await SaveAsync(new ErasureRecord(LookupKey, RandomId.New(ErasureKeys.RequestPrefix), userId, ErasureKeys.NewPseudonym(),
                ErasureStatus.Pending, requestedBy, now, null, now, [], 0));
            try
            {
                await RunAsync();
            }
            catch (Exception ex)
            {
                // The request is stored and due now: the personal-data sweep carries on where this run stopped.
                logger.LogWarning(ex, "Erasure {RequestId} stopped part way; the sweep continues it", _record!.RequestId);
            }
        }

        return _record!.ToView();
    }

    public Task<ErasureRequestView?> GetAsync() => Task.FromResult(_record?.ToView());

    public async Task ContinueAsync()
    {
        if (_record is { Status: ErasureStatus.Pending, DueAt: { } due } && due <= clock.GetUtcNow())
        {
            await RunAsync();
        }
    }

    private async Task RunAsync()
    {
        var record = _record!;
        var userId = record.UserId!;
        var pseudonym = record.Pseudonym!;
        var waiting = new List<ErasureWaitingOrder>();
        var erased = 0;
        var scrubbedSkus = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        for (IReadOnlyList<string> page; (page = await store.ListOrdersAsync(userId, after, PageSize)).Count > 0; after = page[^1])
        {
            foreach (var orderNo in page)
            {
                var outcome = await GrainFactory.GetGrain<IOrderErasureGrain>(orderNo).EraseAsync(userId, pseudonym);
                if (outcome is { Status: OrderErasureStatus.Waiting, Waiting: { } wait })
                {
                    waiting.Add(wait);
                }
                else if (outcome.Status == OrderErasureStatus.Erased)
                {
                    await EraseAroundOrderAsync(orderNo, outcome, userId, pseudonym, scrubbedSkus);
                    erased++;
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        await GrainFactory.GetGrain<ICartGrain>(userId).AsReference<IPersonalDataHolderGrain>().ErasePersonalDataAsync(pseudonym);
        await GrainFactory.GetGrain<IAddressBookGrain>(userId).AsReference<IPersonalDataHolderGrain>().ErasePersonalDataAsync(pseudonym);
        await GrainFactory.GetGrain<IPersonalDataExportQuotaGrain>(userId).AsReference<IPersonalDataHolderGrain>().ErasePersonalDataAsync(pseudonym);
        await store.ScrubCustomerAsync(userId, pseudonym);
        metrics.Anonymised("erasure", erased);

        var now = clock.GetUtcNow();
        var next = record with { Waiting = [.. waiting], ErasedOrders = record.ErasedOrders + erased };
        if (waiting.Count == 0)
        {
            next = next with { Status = ErasureStatus.Completed, UserId = null, Pseudonym = null, CompletedAt = now, DueAt = null };
            logger.LogInformation("Erasure {RequestId} completed: {Orders} orders anonymised", record.RequestId, next.ErasedOrders);
        }
        else
        {
            // At the earliest known end of a window (just after it), and at least every recheck interval for waits without a date.
            var recheck = now + options.Value.ErasureRecheckInterval;
            var soonest = waiting.Min(w => w.Until is { } until && until + AfterDeadline < recheck ? until + AfterDeadline : recheck);
            next = next with { DueAt = soonest > now ? soonest : now + AfterDeadline };
            logger.LogInformation("Erasure {RequestId}: {Waiting} orders wait, next look at {DueAt}", record.RequestId, waiting.Count, next.DueAt);
        }

        await SaveAsync(next);
    }

    /// <summary>
    /// What else holds something of an erased order: its after-sales requests, its payment, its SKUs' memory, and the log
    /// rows the store scrubs. A SKU's stock log and snapshot are scrubbed whole (every row naming the user), so once per
    /// run is enough (<paramref name="scrubbedSkus"/>): only a reservation names its customer, and a reservation made
    /// after that scrub belongs to an order that cannot be erased in this run (it is new, so it waits), whose own
    /// erasure in a later run scrubs the SKU again. A customer with hundreds of orders of one SKU costs one log scan.
    /// </summary>
    private async Task EraseAroundOrderAsync(string orderNo, OrderErasureOutcome outcome, string userId, string pseudonym, HashSet<string> scrubbedSkus)
    {
        foreach (var requestId in outcome.AfterSalesRequestIds ?? [])
        {
            await GrainFactory.GetGrain<IAfterSalesGrain>(requestId).AsReference<IPersonalDataHolderGrain>().ErasePersonalDataAsync(pseudonym);
        }

        if (ServiceProvider.GetService<WeChatPayEnabled>() is not null)
        {
            await GrainFactory.GetGrain<IOrderPaymentGrain>(orderNo).AsReference<IPersonalDataHolderGrain>().ErasePersonalDataAsync(pseudonym);
        }

        // The SKUs' memory first (campaign tallies, live reservations): scrubbed rows would otherwise get the id back
        // with the next snapshot.
        List<string> skus = [.. (outcome.Skus ?? []).Where(sku => !scrubbedSkus.Contains(sku))];
        foreach (var sku in skus)
        {
            await GrainFactory.GetGrain<IInventoryGrain>(sku).RenameCustomerAsync(userId, pseudonym);
        }

        await store.ScrubOrderAsync(orderNo, skus, userId, ShippingInfoRequests.OpenIdOf(userId), pseudonym);
        scrubbedSkus.UnionWith(skus);
    }

    private async Task SaveAsync(ErasureRecord next)
    {
        try
        {
            await store.SaveAsync(next, _version);
        }
        catch
        {
            // Whether the row changed is unknown: the next call reads it again in a new activation.
            DeactivateOnIdle();
            throw;
        }

        _record = next;
        _version++;
    }
}
