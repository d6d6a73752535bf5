using Orleans.Concurrency;

namespace Shop.Grains.Interfaces.Catalog;

[GenerateSerializer, Alias("Shop.Catalog.ProductSort")]
public enum ProductSort
{
    Newest = 0,
    PriceAscending = 1,
    PriceDescending = 2,
}

/// <summary>A storefront listing request, already validated by the API (page ≥ 1, size 1..100).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductQuery")]
public sealed record ProductQuery(
    [property: Id(0)] int Page,
    [property: Id(1)] int Size,
    [property: Id(2)] string? CategoryId,
    [property: Id(3)] string? Keyword,
    [property: Id(4)] ProductSort Sort);

/// <summary>
/// One listing row; <see cref="Available"/> is the read model's inventory column (null until inventory fills it), summed
/// over the on-shelf SKUs of a product with variants; <see cref="PriceFen"/> to <see cref="MaxPriceFen"/> is the price range
/// of its on-shelf SKUs.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductListItem")]
public sealed record ProductListItem(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string CategoryId,
    [property: Id(4)] string? ImageUrl,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] long? Available,
    [property: Id(20)] long? MaxPriceFen = null,
    [property: Id(21)] int VariantCount = 1);

[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductPage")]
public sealed record ProductPage(
    [property: Id(0)] IReadOnlyList<ProductListItem> Items,
    [property: Id(1)] long Total);

/// <summary>A listing, or <see cref="CategoryFound"/> = false when the requested category does not exist.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductQueryResult")]
public sealed record ProductQueryResult(
    [property: Id(0)] bool CategoryFound,
    [property: Id(1)] ProductPage Page);

/// <summary>
/// Storefront listings from the catalog read model. A stateless worker (key 0), so the API stays a pure Orleans
/// client and list queries scale out on every silo without a single hot activation.
/// </summary>
[Alias("Shop.Catalog.ICatalogQueryGrain")]
public interface ICatalogQueryGrain : IGrainWithIntegerKey
{
    [ReadOnly, Alias("Query")]
    Task<ProductQueryResult> QueryAsync(ProductQuery query);
}
