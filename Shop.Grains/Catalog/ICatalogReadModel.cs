using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>A listing request with the category already expanded to itself and its descendants.</summary>
/// <summary>How many non-deleted products name a freight template, and the first of them by id (null when none).</summary>
public sealed record TemplateUse(long Count, string? ProductId);

public sealed record CatalogQuery(int Page, int Size, IReadOnlyCollection<string>? CategoryIds, string? Keyword, ProductSort Sort);

/// <summary>
/// The queryable copy of every product that <see cref="ProductGrain"/> keeps current after its own state write.
/// PostgreSQL (<c>catalog_products</c>) when a database is configured, in memory in embedded mode.
/// </summary>
public interface ICatalogReadModel
{
    /// <summary>Writes the product unless a row with the same or a newer version is already there (never goes backwards).</summary>
    Task UpsertAsync(ProductDetails product, CancellationToken cancellationToken = default);

    /// <summary>On-shelf, non-deleted products matching the query, one page of them, and how many match in total.</summary>
    Task<ProductPage> QueryAsync(CatalogQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many non-deleted products (any status) sit directly in the category.</summary>
    Task<long> CountProductsInCategoryAsync(string categoryId, CancellationToken cancellationToken = default);

    /// <summary>Non-deleted products (any status) whose freight template is <paramref name="templateId"/>.</summary>
    Task<TemplateUse> ProductsUsingTemplateAsync(string templateId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the SKU's available stock as of inventory version <paramref name="inventoryVersion"/>, unless a newer
    /// one is already there. Lists show it; orders never decide from it (the InventoryGrain does).
    /// </summary>
    Task SetAvailableAsync(string productId, long inventoryVersion, long available, CancellationToken cancellationToken = default);

    /// <summary>The version the read model holds for the product, or null when it holds none.</summary>
    Task<long?> GetVersionAsync(string productId, CancellationToken cancellationToken = default);
}
