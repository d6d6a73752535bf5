using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// The catalog side of an order's lines. Each item names a SKU (a product id names a product's only SKU); the product
/// is read off the SKU id, so a line costs one call to its product grain (in-silo, its activation cached) and no
/// database read. The line keeps the name, spec and price as sold.
/// </summary>
internal static class OrderSkus
{
    /// <summary>Each item's SKU, or null when its product does not exist, is deleted, or has no such SKU.</summary>
    public static Task<SkuDetails?[]> LookUpAsync(IGrainFactory grains, IReadOnlyList<OrderItem> items) =>
        Task.WhenAll(items.Select(i => SkuId.IsValid(i.ProductId)
            ? grains.GetGrain<IProductGrain>(SkuId.ProductOf(i.ProductId)).GetSkuAsync(i.ProductId)
            : Task.FromResult<SkuDetails?>(null)));

    public static OrderLine Line(SkuDetails sku, int quantity) =>
        new(sku.ProductId, sku.Name, sku.PriceFen, quantity, sku.SkuId, sku.Spec);

    public static OrderEventLine EventLine(OrderLine line) =>
        new(line.Sku, line.Quantity, line.UnitPriceFen, line.ProductId, SpecValue.Text(line.Spec));
}
