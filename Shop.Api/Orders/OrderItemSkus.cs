using Shop.Api.Errors;
using Shop.Api.Catalog;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Api.Orders;

/// <summary>Order lines name SKUs: <c>skuId</c> per item, <c>productId</c> accepted as its alias.</summary>
public static class OrderItemSkus
{
    /// <summary>The SKU an item names: its <c>skuId</c>, else its <c>productId</c>.</summary>
    public static string? Sku(OrderItemRequest? item) => item?.SkuId ?? item?.ProductId;

    public static void Check(OrderItemRequest? item, string prefix, ValidationErrors errors)
    {
        if (item is { SkuId: { } sku, ProductId: { } product } && sku != product && SkuId.ProductOf(sku) != product)
        {
            errors.Add($"{prefix}.productId", "Names another product than skuId: give skuId alone (productId is its alias).");
        }

        errors.Check(SkuId.IsValid(Sku(item)), $"{prefix}.{(item?.SkuId is null && item?.ProductId is not null ? "productId" : "skuId")}",
            "Must be a SKU id (a product id for a product without options, or a variant's skuId).");
    }

    public static OrderLineResponse ToResponse(OrderLine line) =>
        new(line.ProductId, line.Name, line.UnitPriceFen, line.Quantity, line.SubtotalFen, line.Sku, line.Spec.ToResponse(), SpecValue.Text(line.Spec), line.CampaignId);

    /// <summary>One entry of a 409's <c>products</c>: the SKU, its product, what was asked and what is available.</summary>
    public static object ToProblem(OrderProductProblem problem) => new
    {
        ProductId = SkuId.ProductOf(problem.ProductId),
        SkuId = problem.ProductId,
        problem.Requested,
        problem.Available,
    };
}
