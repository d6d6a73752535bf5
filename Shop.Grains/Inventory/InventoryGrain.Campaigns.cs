using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Grains.Campaigns;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// Campaign allotments and the per-customer limits, decided in the reservation's own turn against the ledger (which
/// holds every earlier decision, stored or not), and stored by the reservation's own write: under a flash sale's
/// coalesced calls, 200 concurrent orders of one customer are decided one after another, so exactly the limit passes.
/// </summary>
public sealed partial class InventoryGrain
{
    private HoardingOptions? _hoarding;

    private HoardingOptions Hoarding => _hoarding ??= ServiceProvider.GetRequiredService<IOptions<HoardingOptions>>().Value;

    public async Task<AllotResult> AllotAsync(string campaignId, CampaignAllotment allotment)
    {
        RequireText(campaignId, nameof(campaignId), InventoryOptions.MaxOrderIdLength);
        ArgumentNullException.ThrowIfNull(allotment);
        ArgumentOutOfRangeException.ThrowIfLessThan(allotment.Allotment, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(allotment.Allotment, InventoryOptions.MaxQuantity);
        ArgumentOutOfRangeException.ThrowIfLessThan(allotment.PerCustomerLimit, 1);
        if (allotment.EndsAt <= allotment.StartsAt)
        {
            throw new ArgumentException("A campaign must end after it starts.", nameof(allotment));
        }

        var ledger = await ReadyAsync(expire: true);
        AllotResult result;
        if (ledger.TryGetCampaign(campaignId, out _))
        {
            result = new(AllotStatus.AlreadyAllotted, ledger.Available);
        }
        else if (ledger.Available < allotment.Allotment)
        {
            result = new(AllotStatus.Insufficient, ledger.Available);
        }
        else
        {
            Record(new CampaignAllotted(campaignId, allotment.Allotment, allotment.PerCustomerLimit, allotment.StartsAt, allotment.EndsAt, Now));
            result = new(AllotStatus.Allotted, ledger.Available);
        }

        await CommittedAsync();
        return result;
    }

    public async Task<CampaignStock?> EndCampaignAsync(string campaignId)
    {
        RequireText(campaignId, nameof(campaignId), InventoryOptions.MaxOrderIdLength);
        var ledger = await ReadyAsync(expire: true);
        CampaignStock? stock = null;
        if (ledger.TryGetCampaign(campaignId, out var campaign))
        {
            if (!campaign.Ended)
            {
                Record(new CampaignEnded(campaignId, Now));
            }

            stock = campaign.ToStock();
        }

        await CommittedAsync();
        return stock;
    }

    public async Task<CampaignStock?> GetCampaignAsync(string campaignId)
    {
        RequireText(campaignId, nameof(campaignId), InventoryOptions.MaxOrderIdLength);

        // A command, not a pure read: a campaign whose time passed is ended (and stored) before it is shown.
        var ledger = await ReadyAsync(expire: true);
        var stock = ledger.TryGetCampaign(campaignId, out var campaign) ? campaign.ToStock() : null;
        await CommittedAsync();
        return stock;
    }

    /// <summary>Why a reservation may not be held (campaign window, allotment, limits), or null when it may.</summary>
    private ReserveResult? RefuseHold(InventoryLedger ledger, int quantity, string? userId, string? campaignId)
    {
        ReserveStatus? refusal = null;
        var available = ledger.Available;
        if (campaignId is not null)
        {
            if (!ledger.TryGetCampaign(campaignId, out var campaign))
            {
                refusal = ReserveStatus.CampaignUnknown;
            }
            else
            {
                available = campaign.Remaining;
                refusal = Now < campaign.StartsAt ? ReserveStatus.CampaignNotStarted
                    : campaign.Ended || Now >= campaign.EndsAt ? ReserveStatus.CampaignEnded
                    : campaign.Remaining < quantity ? ReserveStatus.CampaignSoldOut
                    : userId is null || campaign.UnitsOf(userId) + quantity > campaign.PerCustomerLimit ? ReserveStatus.CampaignLimitReached
                    : null;
            }
        }

        if (refusal is null && userId is not null && Hoarding.MaxUnpaidUnitsPerSku > 0
            && ledger.UnpaidUnitsOf(userId) + quantity > Hoarding.MaxUnpaidUnitsPerSku)
        {
            refusal = ReserveStatus.UnpaidUnitsLimit;
        }

        if (refusal is not { } status)
        {
            return null;
        }

        CampaignMetrics.Refused(status);
        return new(status, 0, available, null);
    }

    private void EndDueCampaigns(InventoryLedger ledger, DateTimeOffset now)
    {
        foreach (var campaignId in ledger.CampaignsDueToEnd(now))
        {
            Record(new CampaignEnded(campaignId, now));
        }
    }

    private static void RequireHolder(string? userId, string? campaignId)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(userId?.Length ?? 0, InventoryOptions.MaxOrderIdLength * 2, nameof(userId));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(campaignId?.Length ?? 0, InventoryOptions.MaxOrderIdLength, nameof(campaignId));
    }
}
