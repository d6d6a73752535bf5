using System.Collections.Immutable;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>One option value of a SKU, e.g. 颜色 = 白.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.SpecValue")]
public sealed record SpecValue([property: Id(0)] string Name, [property: Id(1)] string Value)
{
    /// <summary>"颜色:白;尺码:L" (empty for a product without options): what an order line shows as sold.</summary>
    public static string Text(IEnumerable<SpecValue>? spec) => spec is null ? "" : string.Join(";", spec.Select(s => $"{s.Name}:{s.Value}"));
}

/// <summary>
/// One SKU of a product: its values for the product's options (in option order), price, optional image, the
/// merchant's barcode / code (unique within the product), and whether it is on the shelf (it sells only while the
/// product is on the shelf too).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.ProductVariant")]
public sealed record ProductVariant(
    [property: Id(0)] string SkuId,
    [property: Id(1)] ImmutableList<string> Spec,
    [property: Id(2)] long PriceFen,
    [property: Id(3)] string? ImageUrl,
    [property: Id(4)] string? Barcode,
    [property: Id(5)] bool OnShelf,
    [property: Id(100)] int? Grams = null);

/// <summary>Raw, unvalidated variant input from a merchant; <see cref="Spec"/> maps option name to value.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.VariantDraft")]
public sealed record VariantDraft(
    [property: Id(0)] IReadOnlyDictionary<string, string>? Spec,
    [property: Id(1)] long? PriceFen,
    [property: Id(2)] string? ImageUrl = null,
    [property: Id(3)] string? Barcode = null,
    [property: Id(4)] bool? OnShelf = null,
    [property: Id(100)] int? Grams = null);

/// <summary>
/// What an order or a cart needs of one SKU, in one grain call: the product's name, the SKU's spec and price, and
/// whether it can be bought now (the product on the shelf and the SKU on the shelf).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.SkuDetails")]
public sealed record SkuDetails(
    [property: Id(0)] string SkuId,
    [property: Id(1)] string ProductId,
    [property: Id(2)] string Name,
    [property: Id(3)] ImmutableList<SpecValue> Spec,
    [property: Id(4)] long PriceFen,
    [property: Id(5)] string? ImageUrl,
    [property: Id(6)] bool OnSale,
    [property: Id(100)] string? FreightTemplateId = null,
    [property: Id(101)] int Grams = 0);
