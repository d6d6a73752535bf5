using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Campaigns;

/// <summary>
/// One campaign. Its allotments live in its SKUs' inventory grains (which enforce every limit); this grain keeps the
/// definition, answers an order's terms from memory, and ends the campaign: on time by a durable reminder (which also
/// fires after restarts, on whichever silo is up; a late tick only delays the return of unsold units, since the
/// inventory grains refuse campaign reservations after the end time by themselves and end a campaign on their next
/// command), or early on an admin's request.
/// </summary>
public sealed partial class CampaignGrain(
    [PersistentState("campaign")] IPersistentState<CampaignState> state,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<CampaignOptions> options,
    CampaignMetrics metrics,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    private const string EndReminder = "campaign-end";

    private IGrainTimer? _metricsTimer;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Phase == CampaignPhase.Creating && state.State.Definition is not null)
        {
            // A create that died midway: give back whatever it took, then forget it (nobody was told it exists).
            await EndEverywhereAsync(state.State.Definition);
            await state.ClearStateAsync(cancellationToken);
        }

        StartPublishing();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The next activation (woken by the end reminder at the latest) publishes again, on whichever silo it lands.
        metrics.Forget(Id, this);
        return Task.CompletedTask;
    }

    public async Task<CreateCampaignResult> CreateAsync(CampaignDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (state.State is { Phase: CampaignPhase.Created, Definition: { } existing })
        {
            // A repeat under the same Idempotency-Key gets the campaign it made; another request under it gets nothing.
            return existing.SameAs(definition) ? new(CreateCampaignStatus.Created, await ViewAsync()) : new(CreateCampaignStatus.KeyReused, null);
        }

        state.State = new CampaignState { Definition = definition, Phase = CampaignPhase.Creating, CreatedAt = Now };
        await state.WriteStateAsync();
        var terms = new CampaignAllotment(0, definition.PerCustomerLimit, definition.StartsAt, definition.EndsAt);
        foreach (var sku in definition.Skus)
        {
            var taken = await Inventory(sku.SkuId).AllotAsync(Id, terms with { Allotment = sku.Allotment });
            if (taken.Status == AllotStatus.Insufficient)
            {
                await EndEverywhereAsync(definition);
                await state.ClearStateAsync();
                return new(CreateCampaignStatus.InsufficientStock, null, sku.SkuId, taken.Available);
            }
        }

        state.State.Phase = CampaignPhase.Created;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ICampaignDirectoryGrain>(0).AddAsync(Id);
        await this.RegisterOrUpdateReminder(EndReminder, ReminderDue(definition), options.Value.ReminderPeriod);
        StartPublishing();
        LogCreated(Id, definition.Skus.Count, definition.StartsAt, definition.EndsAt);
        return new(CreateCampaignStatus.Created, await ViewAsync());
    }

    public Task<CampaignTerms?> GetTermsAsync() => Task.FromResult(
        state.State is { Phase: CampaignPhase.Created, Definition: { } d }
            ? new CampaignTerms(d.Skus.ToDictionary(s => s.SkuId, s => s.PriceFen, StringComparer.Ordinal), d.StartsAt, d.EndsAt,
                d.UnpaidTimeout, state.State.EndedAt is not null, d.PerCustomerLimit)
            : null);

    public async Task<CampaignView?> GetAsync()
    {
        if (state.State is not { Phase: CampaignPhase.Created, Definition: { } definition })
        {
            return null;
        }

        if (state.State.EndedAt is null && Now >= definition.EndsAt)
        {
            await EndAsync("system");
        }

        return await ViewAsync();
    }

    public async Task<CampaignView?> EndAsync(string @operator)
    {
        if (state.State is not { Phase: CampaignPhase.Created, Definition: { } definition })
        {
            return null;
        }

        // Every SKU first (idempotent), then the record: a failure midway is finished by the next call or reminder tick.
        await EndEverywhereAsync(definition);
        if (state.State.EndedAt is null)
        {
            state.State.EndedAt = Now < definition.EndsAt ? Now : definition.EndsAt;
            state.State.EndedBy = @operator;
            await state.WriteStateAsync();
            LogEnded(Id, @operator);
        }

        StopPublishing();

        if (await this.GetReminder(EndReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        return await ViewAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State is not { Phase: CampaignPhase.Created, Definition: { } definition } || state.State.EndedAt is not null)
        {
            if (await this.GetReminder(reminderName) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        if (Now >= definition.EndsAt)
        {
            await EndAsync("system");
        }
    }

    private async Task<CampaignView> ViewAsync()
    {
        var definition = state.State.Definition!;
        var stocks = await Task.WhenAll(definition.Skus.Select(s => Inventory(s.SkuId).GetCampaignAsync(Id)));
        var ended = state.State.EndedAt is not null || Now >= definition.EndsAt;
        var status = ended ? CampaignStatus.Ended : Now < definition.StartsAt ? CampaignStatus.Scheduled : CampaignStatus.Running;
        return new CampaignView(Id, definition.Name, status, definition.StartsAt, definition.EndsAt, state.State.EndedAt,
            definition.PerCustomerLimit, definition.UnpaidTimeout, state.State.CreatedAt,
            [.. definition.Skus.Select((s, k) => new CampaignSkuView(s.SkuId, s.PriceFen, stocks[k] ?? new CampaignStock(0, 0, 0, 0, 0, true)))]);
    }

    /// <summary>
    /// From creation to the end, the campaign's figures for the silo's gauges, read from its SKUs' ledgers on a timer
    /// (never from the order path): a timer that keeps this grain active, so the figures do not depend on which SKU
    /// grains happen to be active. Interleaved, so an order asking for the terms never waits behind the SKU reads.
    /// </summary>
    private void StartPublishing()
    {
        if (_metricsTimer is null && state.State is { Phase: CampaignPhase.Created, EndedAt: null })
        {
            _metricsTimer = this.RegisterGrainTimer(PublishFiguresAsync,
                new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.MetricsInterval) { KeepAlive = true, Interleave = true });
        }
    }

    private void StopPublishing()
    {
        _metricsTimer?.Dispose();
        _metricsTimer = null;
        metrics.Forget(Id, this);
    }

    private async Task PublishFiguresAsync(CancellationToken cancellationToken)
    {
        if (state.State is not { Phase: CampaignPhase.Created, Definition: { } definition, EndedAt: null } || Now >= definition.EndsAt)
        {
            // Ended (or its time passed, and the reminder ends it within a period): an ended campaign has no series.
            StopPublishing();
            return;
        }

        var stocks = await Task.WhenAll(definition.Skus.Select(s => Inventory(s.SkuId).GetCampaignAsync(Id)));
        if (_metricsTimer is not null)
        {
            metrics.Publish(Id, this, stocks);
        }
    }

    private Task EndEverywhereAsync(CampaignDefinition definition) =>
        Task.WhenAll(definition.Skus.Select(s => Inventory(s.SkuId).EndCampaignAsync(Id)));

    private IInventoryGrain Inventory(string sku) => GrainFactory.GetGrain<IInventoryGrain>(sku);

    /// <summary>
    /// The first tick: at the end time, or one period from now if that is sooner. Every tick compares the clock with
    /// the end time, so a campaign whose end comes early (or a clock that jumps) is ended within one period.
    /// </summary>
    private TimeSpan ReminderDue(CampaignDefinition definition)
    {
        var due = definition.EndsAt - Now;
        return due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due > options.Value.ReminderPeriod ? options.Value.ReminderPeriod : due;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} created: {Skus} SKUs, {StartsAt} to {EndsAt}")]
    private partial void LogCreated(string campaignId, int skus, DateTimeOffset startsAt, DateTimeOffset endsAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} ended by {Operator}")]
    private partial void LogEnded(string campaignId, string @operator);
}

/// <summary>Every campaign id (key 0), oldest first in storage, newest first in the answer.</summary>
public sealed class CampaignDirectoryGrain(
    [PersistentState("campaigns")] IPersistentState<CampaignDirectoryState> state) : Grain, ICampaignDirectoryGrain
{
    public async Task AddAsync(string campaignId)
    {
        if (!state.State.Ids.Contains(campaignId))
        {
            state.State.Ids.Add(campaignId);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. Enumerable.Reverse(state.State.Ids)]);
}

/// <summary>The <c>Campaigns</c> configuration section.</summary>
public sealed class CampaignOptions
{
    /// <summary>How often the end reminder ticks until the campaign ended (Orleans' minimum: 1 minute by default).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a campaign not yet ended reads its SKUs' figures for the campaign gauges.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(15);
}
