using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Shop.Grains.Interfaces.Catalog;

[GenerateSerializer, Alias("Shop.Catalog.ProductStatus")]
public enum ProductStatus
{
    Draft = 0,
    OnShelf = 1,
    OffShelf = 2,
}

/// <summary>What a merchant edits: validated and normalized (trimmed, no nulls) by <see cref="ProductRules"/>.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductContent")]
public sealed record ProductContent(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string CategoryId,
    [property: Id(4)] ImmutableSortedDictionary<string, string> Attributes,
    [property: Id(5)] string? ImageUrl,
    [property: Id(100)] string? FreightTemplateId = null)
{
    public bool SameAs(ProductContent other) =>
        Name == other.Name && Description == other.Description && PriceFen == other.PriceFen &&
        CategoryId == other.CategoryId && ImageUrl == other.ImageUrl && FreightTemplateId == other.FreightTemplateId &&
        Attributes.Count == other.Attributes.Count &&
        Attributes.All(a => other.Attributes.TryGetValue(a.Key, out var v) && v == a.Value);
}

/// <summary>One product as the grain holds it; also the row the catalog read model stores.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductDetails")]
public sealed record ProductDetails(
    [property: Id(0)] string Id,
    [property: Id(1)] ProductContent Content,
    [property: Id(2)] ProductStatus Status,
    [property: Id(3)] bool Deleted,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt,
    [property: Id(6)] long Version,
    [property: Id(20)] ImmutableList<string>? Options = null,
    [property: Id(21)] ImmutableList<ProductVariant>? Variants = null)
{
    /// <summary>Shown to shoppers: on the shelf and not deleted.</summary>
    public bool IsVisible => Status == ProductStatus.OnShelf && !Deleted;

    /// <summary>The option names (颜色, 尺码, ...); empty for a product without options.</summary>
    [JsonIgnore]
    public ImmutableList<string> OptionNames => Options ?? [];

    [JsonIgnore]
    public bool HasOptions => Options is { Count: > 0 };

    /// <summary>
    /// Every SKU. A product stored before variants existed has none stored: it is one SKU with the product's id and
    /// price, on the shelf with the product.
    /// </summary>
    [JsonIgnore]
    public ImmutableList<ProductVariant> Skus => Variants is { Count: > 0 } variants
        ? variants
        : [new ProductVariant(Id, [], Content.PriceFen, null, null, OnShelf: true)];

    public ProductVariant? Sku(string skuId) => Skus.Find(v => v.SkuId == skuId);

    public ImmutableList<SpecValue> SpecOf(ProductVariant variant) =>
        [.. OptionNames.Zip(variant.Spec, (name, value) => new SpecValue(name, value))];

    /// <summary>The SKU as an order or cart sees it; <see cref="SkuDetails.OnSale"/> needs the product and the SKU on the shelf.</summary>
    public SkuDetails ToSku(ProductVariant variant) =>
        new(variant.SkuId, Id, Content.Name, SpecOf(variant), variant.PriceFen, variant.ImageUrl ?? Content.ImageUrl, IsVisible && variant.OnShelf,
            Content.FreightTemplateId, variant.Grams ?? 0);
}

/// <summary>Raw, unvalidated input from a merchant.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductDraft")]
public sealed record ProductDraft(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] long? PriceFen,
    [property: Id(3)] string? CategoryId,
    [property: Id(4)] IReadOnlyDictionary<string, string>? Attributes,
    [property: Id(5)] string? ImageUrl,
    [property: Id(20)] IReadOnlyList<string>? Options = null,
    [property: Id(21)] IReadOnlyList<VariantDraft>? Variants = null,
    [property: Id(100)] string? FreightTemplateId = null,
    [property: Id(101)] int? Grams = null);

[GenerateSerializer, Alias("Shop.Catalog.ProductOutcomeStatus")]
public enum ProductOutcomeStatus
{
    Ok = 0,
    NotFound = 1,
    Invalid = 2,
    VersionConflict = 3,
    AlreadyExists = 4,

    /// <summary>The product exists but has no such SKU.</summary>
    SkuNotFound = 20,
}

/// <summary>The result of a product command: the product after it, or why nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductOutcome")]
public sealed record ProductOutcome(
    [property: Id(0)] ProductOutcomeStatus Status,
    [property: Id(1)] ProductDetails? Product = null,
    [property: Id(2)] IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static ProductOutcome Ok(ProductDetails product) => new(ProductOutcomeStatus.Ok, product);

    public static ProductOutcome NotFound { get; } = new(ProductOutcomeStatus.NotFound);

    public static ProductOutcome Invalid(IReadOnlyDictionary<string, string[]> errors) => new(ProductOutcomeStatus.Invalid, Errors: errors);

    public static ProductOutcome Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
