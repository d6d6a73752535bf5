using Orleans.Concurrency;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>One product, keyed by its <see cref="ProductId"/>. The activation is the detail cache.</summary>
[Alias("Shop.Catalog.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Creates the product as a draft; AlreadyExists when this id is taken.</summary>
    [Alias("Create")]
    Task<ProductOutcome> CreateAsync(ProductDraft draft);

    /// <summary>Replaces the editable content; <paramref name="expectedVersion"/> (when given) must be the current version.</summary>
    [Alias("Update")]
    Task<ProductOutcome> UpdateAsync(ProductDraft draft, long? expectedVersion);

    /// <summary>Puts the product on or off the shelf (a draft cannot be re-entered).</summary>
    [Alias("SetStatus")]
    Task<ProductOutcome> SetStatusAsync(ProductStatus status, long? expectedVersion);

    /// <summary>Soft delete: gone from the storefront and from admin edits, still known to <see cref="GetForOrderAsync"/>.</summary>
    [Alias("Delete")]
    Task<ProductOutcome> DeleteAsync(long? expectedVersion);

    /// <summary>The product unless it was never created or is deleted (admin and storefront reads).</summary>
    [ReadOnly, Alias("Get")]
    Task<ProductDetails?> GetAsync();

    /// <summary>
    /// The storefront's product detail in one call: the product while it is on the shelf, with its available stock,
    /// which this grain asks the SKU's inventory grain for inside the silo (so the API makes one round trip, not two).
    /// Null when the product is not on the shelf; then no inventory grain is touched.
    /// </summary>
    [ReadOnly, Alias("GetOnShelf")]
    Task<OnShelfProduct?> GetOnShelfAsync();

    /// <summary>
    /// For orders that already reference this product: answers even after a soft delete (null only when the product
    /// never existed). Not exposed over HTTP.
    /// </summary>
    [ReadOnly, Alias("GetForOrder")]
    Task<ProductDetails?> GetForOrderAsync();

    /// <summary>
    /// One SKU of this product for an order or a cart (the grain is <see cref="SkuId.ProductOf"/> the SKU): null when
    /// the product does not exist or is deleted, or has no such SKU.
    /// </summary>
    [ReadOnly, Alias("GetSku")]
    Task<SkuDetails?> GetSkuAsync(string skuId);

    /// <summary>Adds a variant under <paramref name="skuId"/> (made by the caller with <see cref="SkuId.New"/>) to a product with options.</summary>
    [Alias("AddVariant")]
    Task<ProductOutcome> AddVariantAsync(string skuId, VariantDraft draft, long? expectedVersion);

    /// <summary>
    /// Gives a product created without options its options: its single SKU (id = product id) becomes the first variant
    /// with <paramref name="spec"/>, keeping its id, stock and open orders. A repeat of the same call answers Ok.
    /// </summary>
    [Alias("AddOptions")]
    Task<ProductOutcome> AddOptionsAsync(IReadOnlyList<string>? options, IReadOnlyDictionary<string, string>? spec, long? expectedVersion);

    /// <summary>Replaces a variant's spec, price, image, barcode and shelf state (null <see cref="VariantDraft.OnShelf"/> keeps it).</summary>
    [Alias("UpdateVariant")]
    Task<ProductOutcome> UpdateVariantAsync(string skuId, VariantDraft draft, long? expectedVersion);

    /// <summary>Puts one variant on or off the shelf; the others keep selling.</summary>
    [Alias("SetVariantShelf")]
    Task<ProductOutcome> SetVariantShelfAsync(string skuId, bool onShelf, long? expectedVersion);
}

/// <summary>A product on the shelf and the units a shopper can buy now: in all (its on-shelf SKUs) and per SKU.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.OnShelfProduct")]
public sealed record OnShelfProduct(
    [property: Id(0)] ProductDetails Product,
    [property: Id(1)] long Available,
    [property: Id(20)] IReadOnlyDictionary<string, long>? SkuAvailable = null);
