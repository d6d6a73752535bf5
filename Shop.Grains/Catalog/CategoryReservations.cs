namespace Shop.Grains.Catalog;

/// <summary>
/// Products about to be written into a category, per product (the newest reservation wins). Held in memory by the
/// always-active <see cref="CategoryTreeGrain"/>: a reservation only has to outlive the product's state write and
/// read-model projection, and one that outlives its product's failure just expires.
/// </summary>
internal sealed class CategoryReservations(TimeProvider time, TimeSpan lifetime)
{
    private readonly Dictionary<string, (string CategoryId, long Version, DateTimeOffset ExpiresAt)> _byProduct = new(StringComparer.Ordinal);

    public void Add(string categoryId, string productId, long version)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _byProduct.Where(r => r.Value.ExpiresAt <= now).Select(r => r.Key).ToList())
        {
            _byProduct.Remove(expired);
        }

        _byProduct[productId] = (categoryId, version, now + lifetime);
    }

    /// <summary>
    /// True when a product reserved the category at a version the read model does not show yet (its write may still
    /// land there). Reservations the read model has caught up with are dropped.
    /// </summary>
    public async Task<bool> AnyPendingAsync(string categoryId, ICatalogReadModel readModel)
    {
        var now = time.GetUtcNow();
        foreach (var (productId, reservation) in _byProduct.Where(r => r.Value.CategoryId == categoryId && r.Value.ExpiresAt > now).ToList())
        {
            if ((await readModel.GetVersionAsync(productId) ?? 0) < reservation.Version)
            {
                return true;
            }

            _byProduct.Remove(productId);
        }

        return false;
    }
}
