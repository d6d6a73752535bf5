namespace Shop.Client.Catalog;

/// <summary>One option value of a SKU, e.g. <c>{"name": "颜色", "value": "白"}</c>.</summary>
public sealed record SpecValueResponse(string Name, string Value);

/// <summary>
/// A variant (SKU) of a product with options: <see cref="Spec"/> maps each of the product's option names to a value
/// (<c>{"颜色": "白", "尺码": "L"}</c>); the combination is unique within the product, and so is <see cref="Barcode"/>
/// (the merchant's barcode or code, up to 64 visible ASCII characters). <see cref="Status"/> is <c>OnShelf</c>
/// (default) or <c>OffShelf</c>; on an update, omitted keeps the current shelf state.
/// </summary>
public sealed record VariantRequest(
    IReadOnlyDictionary<string, string>? Spec,
    long? PriceFen,
    string? ImageUrl = null,
    string? Barcode = null,
    string? Status = null,
    long? Version = null,
    int? Grams = null);

/// <summary>Body of <c>PUT /api/admin/products/{id}/variants/{skuId}/status</c>: <c>OnShelf</c> or <c>OffShelf</c>.</summary>
public sealed record VariantStatusRequest(string? Status, long? Version = null);

/// <summary>A SKU as the merchant sees it. <see cref="SpecText"/> is the spec as one string, "颜色:白;尺码:L".</summary>
public sealed record AdminVariantResponse(
    string SkuId,
    IReadOnlyList<SpecValueResponse> Spec,
    string SpecText,
    long PriceFen,
    string? ImageUrl,
    string? Barcode,
    string Status,
    int? Grams = null);

/// <summary>
/// A SKU as a shopper sees it: <see cref="OnShelf"/> false means it cannot be bought now (the others still can);
/// <see cref="Available"/> is what can be ordered now (0 when off the shelf).
/// </summary>
public sealed record VariantResponse(
    string SkuId,
    IReadOnlyList<SpecValueResponse> Spec,
    string SpecText,
    long PriceFen,
    string? ImageUrl,
    bool OnShelf,
    long Available);
