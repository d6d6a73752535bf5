using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Api.Catalog;

/// <summary>Grain records to HTTP contract records and back.</summary>
internal static class CatalogMapping
{
    public static ProductDraft ToDraft(this ProductRequest? request) => request is null
        ? new ProductDraft(null, null, null, null, null, null)
        : new ProductDraft(request.Name, request.Description, request.PriceFen, request.CategoryId, request.Attributes, request.ImageUrl);

    public static AdminProductResponse ToAdminResponse(this ProductDetails p) => new(
        p.Id, p.Content.Name, p.Content.Description, p.Content.PriceFen, p.Content.CategoryId, p.Content.Attributes,
        p.Content.ImageUrl, p.Status.ToString(), p.CreatedAt, p.UpdatedAt, p.Version);

    public static ProductResponse ToResponse(this ProductDetails p, long available) => new(
        p.Id, p.Content.Name, p.Content.Description, p.Content.PriceFen, p.Content.CategoryId, p.Content.Attributes,
        p.Content.ImageUrl, p.CreatedAt, p.UpdatedAt, available);

    public static ProductSummary ToSummary(this ProductListItem i) =>
        new(i.Id, i.Name, i.PriceFen, i.CategoryId, i.ImageUrl, i.CreatedAt, i.Available);

    public static CategoryResponse ToResponse(this CategoryInfo c) => new(c.Id, c.Name, c.ParentId, c.CreatedAt, c.UpdatedAt);

    /// <summary>Nests the flat tree; <paramref name="rootId"/> null gives the top-level categories.</summary>
    public static List<CategoryNode> Nest(this CategoryTree tree, string? rootId)
    {
        var children = tree.Categories.ToLookup(c => c.ParentId ?? "");
        List<CategoryNode> Build(string parent) =>
            [.. children[parent].Select(c => new CategoryNode(c.Id, c.Name, c.ParentId, Build(c.Id)))];

        if (rootId is null)
        {
            return Build("");
        }

        var root = tree.Categories.FirstOrDefault(c => c.Id == rootId);
        return root is null ? [] : [new CategoryNode(root.Id, root.Name, root.ParentId, Build(root.Id))];
    }
}
