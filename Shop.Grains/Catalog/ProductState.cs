using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>Stored state of a <see cref="ProductGrain"/>: the product, or null while the id was never created.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductState")]
public sealed record ProductState
{
    [Id(0)]
    public ProductDetails? Product { get; init; }
}
