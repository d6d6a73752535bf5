namespace Shop.Client.Catalog;

/// <summary>
/// Body of <c>POST /api/admin/products/{id}/options</c>: gives a product created without options its option names
/// (1 to 3, e.g. <c>["颜色"]</c>), and its one SKU the <see cref="Spec"/> values it becomes the first variant with
/// (<c>{"颜色": "白"}</c>); the SKU keeps its id (the product id), price, stock and open orders. Then add variants with
/// <c>POST /api/admin/products/{id}/variants</c>. Options are fixed from then on.
/// </summary>
public sealed record ProductOptionsRequest(
    IReadOnlyList<string>? Options,
    IReadOnlyDictionary<string, string>? Spec,
    long? Version = null);
