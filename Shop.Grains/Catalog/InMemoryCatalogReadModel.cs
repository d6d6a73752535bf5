using System.Collections.Concurrent;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>The embedded-mode read model: same contract as the PostgreSQL one, lives as long as the silo.</summary>
public sealed class InMemoryCatalogReadModel : ICatalogReadModel
{
    private readonly ConcurrentDictionary<string, ProductDetails> _products = new();
    private readonly ConcurrentDictionary<string, (long Version, long Available)> _available = new();

    public Task SetAvailableAsync(string productId, long inventoryVersion, long available, CancellationToken cancellationToken = default)
    {
        _available.AddOrUpdate(productId, (inventoryVersion, available),
            (_, current) => current.Version < inventoryVersion ? (inventoryVersion, available) : current);
        return Task.CompletedTask;
    }

    public Task UpsertAsync(ProductDetails product, CancellationToken cancellationToken = default)
    {
        _products.AddOrUpdate(product.Id, product, (_, current) => current.Version < product.Version ? product : current);
        return Task.CompletedTask;
    }

    public Task<ProductPage> QueryAsync(CatalogQuery query, CancellationToken cancellationToken = default)
    {
        var categories = query.CategoryIds?.ToHashSet(StringComparer.Ordinal);
        var matches = _products.Values
            .Where(p => p.IsVisible)
            .Where(p => categories is null || categories.Contains(p.Content.CategoryId))
            .Where(p => string.IsNullOrEmpty(query.Keyword) ||
                        p.Content.Name.Contains(query.Keyword, StringComparison.OrdinalIgnoreCase) ||
                        p.Content.Description.Contains(query.Keyword, StringComparison.OrdinalIgnoreCase))
            .ToList();

        IEnumerable<ProductDetails> sorted = query.Sort switch
        {
            ProductSort.PriceAscending => matches.OrderBy(p => p.Content.PriceFen).ThenBy(p => p.Id, StringComparer.Ordinal),
            ProductSort.PriceDescending => matches.OrderByDescending(p => p.Content.PriceFen).ThenBy(p => p.Id, StringComparer.Ordinal),
            _ => matches.OrderByDescending(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal),
        };

        var items = sorted
            .Skip((query.Page - 1) * query.Size)
            .Take(query.Size)
            .Select(p =>
            {
                var listing = CatalogListing.Of(p);
                return new ProductListItem(p.Id, p.Content.Name, p.Content.PriceFen, p.Content.CategoryId, p.Content.ImageUrl, p.CreatedAt,
                    Available(listing.OnShelfSkus ?? [p.Id]), listing.MaxPriceFen, listing.VariantCount);
            })
            .ToList();
        return Task.FromResult(new ProductPage(items, matches.Count));
    }

    /// <summary>The summed stock of these SKUs, null while none has reported (as the PostgreSQL listing's sum).</summary>
    private long? Available(IEnumerable<string> skus)
    {
        var known = skus.Where(_available.ContainsKey).Select(s => _available[s].Available).ToList();
        return known.Count == 0 ? null : known.Sum();
    }

    public Task<long> CountProductsInCategoryAsync(string categoryId, CancellationToken cancellationToken = default) =>
        Task.FromResult((long)_products.Values.Count(p => !p.Deleted && p.Content.CategoryId == categoryId));

    public Task<TemplateUse> ProductsUsingTemplateAsync(string templateId, CancellationToken cancellationToken = default)
    {
        var using_ = _products.Values.Where(p => !p.Deleted && p.Content.FreightTemplateId == templateId).Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        return Task.FromResult(new TemplateUse(using_.Count, using_.FirstOrDefault()));
    }

    public Task<long?> GetVersionAsync(string productId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_products.TryGetValue(productId, out var product) ? product.Version : (long?)null);
}
