using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Shipping;

namespace Shop.Grains.Shipping;

/// <summary>
/// This silo's copy of every freight template, so that creating an order or a quote reads them from memory: no grain
/// call and no database read per order. The copy is taken from the templates grain, which then tells this silo of
/// every change (an observer); it is read again after <see cref="ShippingOptions.TemplateCacheTtl"/> (which also renews
/// the subscription), or at once when asked for a template it does not know (one created a moment ago).
/// </summary>
public sealed class FreightTemplateCache(IGrainFactory grains, IOptions<ShippingOptions> options, ILogger<FreightTemplateCache> logger)
    : IFreightTemplateObserver
{
    /// <summary>An unknown id re-reads at most this often (a product naming a deleted template must not cost a call per order).</summary>
    private static readonly TimeSpan MissRefresh = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _current;
    private IFreightTemplateObserver? _reference;

    /// <summary>The templates (the default one always among them); reads them first when stale or when one of <paramref name="ids"/> is missing.</summary>
    public ValueTask<IReadOnlyDictionary<string, FreightTemplate>> GetAsync(IEnumerable<string?> ids)
    {
        var current = _current;
        if (current is not null && current.Age < options.Value.TemplateCacheTtl &&
            (current.Age < MissRefresh || ids.All(id => id is null || current.Set.Templates.ContainsKey(id))))
        {
            return new(current.Set.Templates);
        }

        return new(RefreshAsync(current));
    }

    /// <summary>True when the template exists, reading the templates again first if it is unknown here (admin edits only).</summary>
    public async Task<bool> ExistsAsync(string id)
    {
        if (_current is { } current && current.Set.Templates.ContainsKey(id))
        {
            return true;
        }

        return (await RefreshAsync(_current)).ContainsKey(id);
    }

    public Task TemplatesChanged(FreightTemplateSet templates)
    {
        if (_current is not { } current || templates.Version > current.Set.Version)
        {
            _current = new Snapshot(templates, Environment.TickCount64);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Off the calling grain's scheduler: Orleans refuses to make the observer reference inside a grain call, and a
    /// refresh is rare enough that the thread hop costs nothing.
    /// </summary>
    private Task<IReadOnlyDictionary<string, FreightTemplate>> RefreshAsync(Snapshot? seen) => Task.Run(() => ReadAsync(seen));

    private async Task<IReadOnlyDictionary<string, FreightTemplate>> ReadAsync(Snapshot? seen)
    {
        await _refresh.WaitAsync();
        try
        {
            // Someone else read them while this call waited: theirs is as fresh.
            if (_current is { } newer && !ReferenceEquals(newer, seen))
            {
                return newer.Set.Templates;
            }

            _reference ??= grains.CreateObjectReference<IFreightTemplateObserver>(this);
            var set = await grains.GetGrain<IFreightTemplatesGrain>(0).SubscribeAsync(_reference);
            _current = new Snapshot(set, Environment.TickCount64);
            logger.LogDebug("Freight templates read: {Count} at version {Version}", set.Templates.Count, set.Version);
            return set.Templates;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(FreightTemplateSet Set, long LoadedAt)
    {
        public TimeSpan Age => TimeSpan.FromMilliseconds(Environment.TickCount64 - LoadedAt);
    }
}
