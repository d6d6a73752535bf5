using System.Collections.Concurrent;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Api.Catalog;

/// <summary>
/// Product pages as this API host served them in the last moment (<c>Catalog:DetailCacheTtl</c>, 1 s by default; 0 turns
/// it off). In a flash sale every shopper reloads the same page: one grain call per product per second answers all of
/// them, and the concurrent misses of one product share that call. A page may show a price, a shelf state or a stock
/// figure up to the TTL old; ordering is unaffected: prices and stock are taken from the grains when the order is made.
/// </summary>
public sealed class ProductDetailCache(IGrainFactory grains, TimeProvider clock, ProductDetailCacheOptions options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public TimeSpan Ttl => options.Ttl;

    /// <summary>The product as its grain answered within the TTL (null: not on the shelf), fetched once for all callers.</summary>
    public Task<ProductResponse?> GetAsync(string id)
    {
        if (options.Ttl <= TimeSpan.Zero)
        {
            return FetchAsync(id);
        }

        var now = clock.GetTimestamp();
        if (_entries.TryGetValue(id, out var entry) && IsLive(entry, now))
        {
            return entry.Answer.Value;
        }

        if (_entries.Count >= options.MaxEntries)
        {
            // Bounded: a crawler walking every id cannot grow this; the next second refills what is really read.
            _entries.Clear();
        }

        // Only the entry that wins the race is ever fetched: concurrent misses of one product share one grain call.
        var candidate = new Entry(now, new Lazy<Task<ProductResponse?>>(() => FetchAsync(id)));
        return _entries.AddOrUpdate(id, candidate, (_, current) => IsLive(current, now) ? current : candidate).Answer.Value;
    }

    /// <summary>Fresh enough, and not a failed call (a failure is retried by the next reader, never served from here).</summary>
    private bool IsLive(Entry entry, long now) =>
        clock.GetElapsedTime(entry.FetchedAt, now) < options.Ttl && !(entry.Answer.IsValueCreated && entry.Answer.Value.IsFaulted);

    private async Task<ProductResponse?> FetchAsync(string id) =>
        await grains.GetGrain<IProductGrain>(id).GetOnShelfAsync() is { } found ? found.ToResponse() : null;

    private sealed record Entry(long FetchedAt, Lazy<Task<ProductResponse?>> Answer);
}

/// <summary><c>Catalog:DetailCacheTtl</c> (a TimeSpan, default 00:00:01) and <c>Catalog:DetailCacheMaxEntries</c> (default 100,000).</summary>
public sealed record ProductDetailCacheOptions(TimeSpan Ttl, int MaxEntries)
{
    public static ProductDetailCacheOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Catalog");
        var ttl = section.GetValue("DetailCacheTtl", TimeSpan.FromSeconds(1));
        var max = section.GetValue("DetailCacheMaxEntries", 100_000);
        if (ttl < TimeSpan.Zero || ttl > TimeSpan.FromMinutes(1))
        {
            throw new Shop.Hosting.ShopConfigurationException($"Catalog:DetailCacheTtl '{ttl}' must be from 00:00:00 (off) to 00:01:00.");
        }

        if (max < 1)
        {
            throw new Shop.Hosting.ShopConfigurationException($"Catalog:DetailCacheMaxEntries '{max}' must be at least 1.");
        }

        return new ProductDetailCacheOptions(ttl, max);
    }
}
