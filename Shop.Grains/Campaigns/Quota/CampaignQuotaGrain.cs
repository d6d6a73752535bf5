using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Campaigns;

namespace Shop.Grains.Campaigns.Quota;

/// <summary>
/// A customer's units in one campaign of several SKUs (see <see cref="ICampaignQuotaGrain"/>). Stored in the default
/// grain storage on every change, so a restart or another silo sees the same holds; refusals write nothing. A hold
/// whose time passed unpaid no longer counts (the order's reservations lapsed with it, and a create that died before
/// its order was stored leaves nothing held for long); it is dropped on the next write.
/// </summary>
public sealed class CampaignQuotaGrain(
    [PersistentState("campaignQuota")] IPersistentState<CampaignQuotaState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock) : Grain, ICampaignQuotaGrain
{
    private Dictionary<string, QuotaHold> Holds => state.State.Holds;

    public async Task<QuotaTake> TakeAsync(string orderNo, int units, DateTimeOffset until, int perCustomerLimit)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderNo);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        var now = clock.GetUtcNow();
        if (Holds.TryGetValue(orderNo, out var own) && (own.Kept || (own.Until > now && own.Units >= units && own.Until >= until)))
        {
            // A retry of the same order: it holds this already.
            return new(true, HeldAt(now));
        }

        var others = Holds.Where(h => h.Key != orderNo && Counts(h.Value, now)).Sum(h => h.Value.Units);
        if (others + units > perCustomerLimit)
        {
            return new(false, others + (own is not null && Counts(own, now) ? own.Units : 0));
        }

        Prune(now);
        Holds[orderNo] = new QuotaHold { Units = units, Until = until };
        await state.WriteStateAsync();
        return new(true, others + units);
    }

    public async Task KeepAsync(string orderNo, int units)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderNo);
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        if (!Holds.TryGetValue(orderNo, out var hold) || (hold.Kept && hold.Units == units))
        {
            return;
        }

        if (units == 0 || !Counts(hold, clock.GetUtcNow()))
        {
            // A hold that lapsed is not revived by a payment: a late payment takes the quota again first (TakeAsync).
            Holds.Remove(orderNo);
        }
        else
        {
            // Never more than it held: a payment keeps what its order took, it takes nothing by itself.
            hold.Units = Math.Min(hold.Units, units);
            hold.Kept = true;
        }

        await state.WriteStateAsync();
    }

    public async Task ReturnAsync(string orderNo)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderNo);
        if (Holds.TryGetValue(orderNo, out var hold) && !hold.Kept)
        {
            Holds.Remove(orderNo);
            await state.WriteStateAsync();
        }
    }

    public Task<int> HeldAsync() => Task.FromResult(HeldAt(clock.GetUtcNow()));

    private int HeldAt(DateTimeOffset now) => Holds.Values.Where(h => Counts(h, now)).Sum(h => h.Units);

    private static bool Counts(QuotaHold hold, DateTimeOffset now) => hold.Kept || hold.Until > now;

    private void Prune(DateTimeOffset now)
    {
        foreach (var lapsed in Holds.Where(h => !Counts(h.Value, now)).Select(h => h.Key).ToList())
        {
            Holds.Remove(lapsed);
        }
    }
}

[GenerateSerializer, Alias("Shop.Campaigns.CampaignQuotaState")]
public sealed class CampaignQuotaState
{
    /// <summary>By order number: what each of the customer's orders holds in the campaign.</summary>
    [Id(0)] public Dictionary<string, QuotaHold> Holds { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Alias("Shop.Campaigns.QuotaHold")]
public sealed class QuotaHold
{
    [Id(0)] public int Units { get; set; }

    /// <summary>When an unpaid hold stops counting: when its order's reservations lapse.</summary>
    [Id(1)] public DateTimeOffset Until { get; set; }

    /// <summary>Paid: counts for good.</summary>
    [Id(2)] public bool Kept { get; set; }
}
