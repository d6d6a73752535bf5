namespace Shop.Client.Catalog;

/// <summary>The product status names used on the wire.</summary>
public static class ProductStatuses
{
    public const string Draft = "Draft";
    public const string OnShelf = "OnShelf";
    public const string OffShelf = "OffShelf";
}

/// <summary>
/// Create or replace a product. Prices are integer fen. <see cref="Version"/> (or an If-Match header) makes an update
/// conditional: it fails with 409 VERSION_CONFLICT when the product changed meanwhile.
/// </summary>
public sealed record ProductRequest(
    string? Name,
    string? Description,
    long? PriceFen,
    string? CategoryId,
    IReadOnlyDictionary<string, string>? Attributes = null,
    string? ImageUrl = null,
    long? Version = null);

/// <summary>Body of <c>PUT /api/admin/products/{id}/status</c>: <c>OnShelf</c> or <c>OffShelf</c>.</summary>
public sealed record ProductStatusRequest(string? Status, long? Version = null);

/// <summary>A product as the merchant sees it, drafts and off-shelf products included.</summary>
public sealed record AdminProductResponse(
    string Id,
    string Name,
    string Description,
    long PriceFen,
    string CategoryId,
    IReadOnlyDictionary<string, string> Attributes,
    string? ImageUrl,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>A product as a shopper sees it (only on-shelf products are shown), with the units that can be ordered now.</summary>
public sealed record ProductResponse(
    string Id,
    string Name,
    string Description,
    long PriceFen,
    string CategoryId,
    IReadOnlyDictionary<string, string> Attributes,
    string? ImageUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Available);

/// <summary>
/// One listing row. <see cref="Available"/> is the stock the storefront may show; null while the inventory side has
/// not reported it.
/// </summary>
public sealed record ProductSummary(
    string Id,
    string Name,
    long PriceFen,
    string CategoryId,
    string? ImageUrl,
    DateTimeOffset CreatedAt,
    long? Available);

public sealed record ProductListResponse(IReadOnlyList<ProductSummary> Items, int Page, int Size, long Total);
