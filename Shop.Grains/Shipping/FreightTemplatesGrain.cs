using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Shipping;

namespace Shop.Grains.Shipping;

[GenerateSerializer, Immutable, Alias("Shop.Shipping.FreightTemplatesState")]
public sealed record FreightTemplatesState
{
    [Id(0)]
    public ImmutableDictionary<string, FreightTemplate> Templates { get; init; } = ImmutableDictionary<string, FreightTemplate>.Empty;

    /// <summary>Raised by every edit: silo caches keep the highest version they were told of.</summary>
    [Id(1)]
    public long Version { get; init; }
}

/// <summary>
/// Every freight template (see <see cref="IFreightTemplatesGrain"/>). The default template is seeded: until an admin
/// edits it, it is free shipping to every region, so shops without templates keep their totals.
/// </summary>
public sealed class FreightTemplatesGrain(
    [PersistentState("freightTemplates")] IPersistentState<FreightTemplatesState> state,
    TimeProvider time,
    IOptions<ShippingOptions> options,
    ILogger<FreightTemplatesGrain> logger) : Grain, IFreightTemplatesGrain
{
    private readonly Dictionary<IFreightTemplateObserver, DateTimeOffset> _observers = [];

    public Task<FreightTemplateSet> GetAllAsync() => Task.FromResult(Set());

    public Task<FreightTemplateSet> SubscribeAsync(IFreightTemplateObserver observer)
    {
        var now = time.GetUtcNow();
        _observers[observer] = now;
        // A silo renews within the cache lifetime; one silent for three of them is gone.
        foreach (var stale in _observers.Where(o => now - o.Value > 3 * options.Value.TemplateCacheTtl).Select(o => o.Key).ToList())
        {
            _observers.Remove(stale);
        }

        return Task.FromResult(Set());
    }

    public async Task<FreightTemplateOutcome> CreateAsync(string id, FreightTemplateDraft draft)
    {
        if (!FreightTemplate.IsValidId(id) || id == FreightTemplate.DefaultId)
        {
            throw new ArgumentException($"'{id}' is not a new freight template id.", nameof(id));
        }

        if (Templates().TryGetValue(id, out var existing))
        {
            return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.Ok, existing);
        }

        var template = FreightTemplateRules.TryNormalize(draft, RegionTable.Embedded, out var errors);
        return template is null
            ? new FreightTemplateOutcome(FreightTemplateOutcomeStatus.Invalid, Errors: errors)
            : await CommitAsync(template with { Id = id, Version = 1, UpdatedAt = time.GetUtcNow() });
    }

    public async Task<FreightTemplateOutcome> UpdateAsync(string id, FreightTemplateDraft draft, long? expectedVersion)
    {
        if (!Templates().TryGetValue(id, out var existing))
        {
            return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.NotFound);
        }

        if (expectedVersion is { } expected && expected != existing.Version)
        {
            return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.VersionConflict, existing);
        }

        var template = FreightTemplateRules.TryNormalize(draft, RegionTable.Embedded, out var errors);
        return template is null
            ? new FreightTemplateOutcome(FreightTemplateOutcomeStatus.Invalid, Errors: errors)
            : await CommitAsync(template with { Id = id, Version = existing.Version + 1, UpdatedAt = time.GetUtcNow() });
    }

    public async Task<FreightTemplateOutcome> DeleteAsync(string id)
    {
        if (id == FreightTemplate.DefaultId)
        {
            return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.DefaultTemplate);
        }

        if (!state.State.Templates.TryGetValue(id, out var existing))
        {
            return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.NotFound);
        }

        // Products naming it would fall back to the default template (free, delivered everywhere) without anyone
        // choosing that: the admin moves them first. A product saved with it while this runs is not seen (rare; the
        // product then charges by the default template, as before this check).
        var use = await ServiceProvider.GetRequiredService<Catalog.ICatalogReadModel>().ProductsUsingTemplateAsync(id);
        if (use.Count > 0)
        {
            return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.InUse, existing,
                Detail: $"{use.Count} product(s) use this template (for example {use.ProductId}): give them another template first.");
        }

        await WriteAsync(state.State with { Templates = state.State.Templates.Remove(id), Version = state.State.Version + 1 });
        return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.Ok, existing);
    }

    private async Task<FreightTemplateOutcome> CommitAsync(FreightTemplate template)
    {
        await WriteAsync(state.State with { Templates = state.State.Templates.SetItem(template.Id, template), Version = state.State.Version + 1 });
        return new FreightTemplateOutcome(FreightTemplateOutcomeStatus.Ok, template);
    }

    private async Task WriteAsync(FreightTemplatesState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }

        var set = Set();
        // This silo's copy changes before the admin hears back; the other silos' a message later.
        await ServiceProvider.GetRequiredService<FreightTemplateCache>().TemplatesChanged(set);
        foreach (var observer in _observers.Keys)
        {
            try
            {
                // One-way: a silo that is gone must not hold up the admin's edit.
                await observer.TemplatesChanged(set);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A silo's freight template cache was not told of version {Version}; it reads again within its lifetime", set.Version);
            }
        }
    }

    /// <summary>The stored templates with the seeded default added while no admin has edited it.</summary>
    private ImmutableDictionary<string, FreightTemplate> Templates() => state.State.Templates.ContainsKey(FreightTemplate.DefaultId)
        ? state.State.Templates
        : state.State.Templates.SetItem(FreightTemplate.DefaultId, FreightTemplate.Default(DateTimeOffset.UnixEpoch));

    private FreightTemplateSet Set() => new(Templates(), state.State.Version);
}
