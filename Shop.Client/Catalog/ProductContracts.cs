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
/// <remarks>
/// A product without <see cref="Options"/> is one SKU (its own id) priced by <see cref="PriceFen"/>. A product with
/// options (e.g. <c>["颜色", "尺码"]</c>, at most 3, fixed at creation) has no price of its own: it is created with its
/// <see cref="Variants"/> (1 to 100, one spec value per option, each combination once), each a SKU with its own price;
/// later changes go through the variant endpoints.
/// </remarks>
public sealed record ProductRequest(
    string? Name,
    string? Description,
    long? PriceFen,
    string? CategoryId,
    IReadOnlyDictionary<string, string>? Attributes = null,
    string? ImageUrl = null,
    long? Version = null,
    IReadOnlyList<string>? Options = null,
    IReadOnlyList<VariantRequest>? Variants = null,
    string? FreightTemplateId = null,
    int? Grams = null);

/// <summary>Body of <c>PUT /api/admin/products/{id}/status</c>: <c>OnShelf</c> or <c>OffShelf</c>.</summary>
public sealed record ProductStatusRequest(string? Status, long? Version = null);

/// <summary>A product as the merchant sees it, drafts and off-shelf products and variants included.</summary>
/// <remarks><see cref="PriceFen"/> is the lowest price of the on-shelf variants (the only variant's without options).</remarks>
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
    long Version,
    IReadOnlyList<string> Options,
    IReadOnlyList<AdminVariantResponse> Variants,
    string FreightTemplateId = "ft_default");

/// <summary>
/// A product as a shopper sees it (only on-shelf products are shown), with the units that can be ordered now
/// (<see cref="Available"/>: all its on-shelf variants together). <see cref="PriceFen"/> to <see cref="MaxPriceFen"/> is the
/// price range of the on-shelf variants; each variant is a SKU to put in a cart or an order.
/// </summary>
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
    long Available,
    long MaxPriceFen,
    IReadOnlyList<string> Options,
    IReadOnlyList<VariantResponse> Variants);

/// <summary>
/// One listing row. <see cref="Available"/> is the stock the storefront may show; null while the inventory side has
/// not reported it.
/// </summary>
/// <remarks><see cref="PriceFen"/> to <see cref="MaxPriceFen"/>: the price range of its on-shelf variants (<see cref="VariantCount"/> SKUs in all).</remarks>
public sealed record ProductSummary(
    string Id,
    string Name,
    long PriceFen,
    string CategoryId,
    string? ImageUrl,
    DateTimeOffset CreatedAt,
    long? Available,
    long MaxPriceFen,
    int VariantCount);

public sealed record ProductListResponse(IReadOnlyList<ProductSummary> Items, int Page, int Size, long Total);
