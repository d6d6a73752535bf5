using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Api.Catalog;

/// <summary>Grain records to HTTP contract records and back.</summary>
internal static class CatalogMapping
{
    /// <summary>The grain's draft; a variant status that is neither OnShelf nor OffShelf is reported in <paramref name="errors"/>.</summary>
    public static ProductDraft ToDraft(this ProductRequest? request, Dictionary<string, string[]> errors) => request is null
        ? new ProductDraft(null, null, null, null, null, null)
        : new ProductDraft(request.Name, request.Description, request.PriceFen, request.CategoryId, request.Attributes, request.ImageUrl,
            request.Options, request.Variants?.Select((v, i) => v.ToDraft(errors, $"variants[{i}].")).ToList(), request.FreightTemplateId, request.Grams);

    public static VariantDraft ToDraft(this VariantRequest? request, Dictionary<string, string[]> errors, string prefix = "") => request is null
        ? new VariantDraft(null, null)
        : new VariantDraft(request.Spec, request.PriceFen, request.ImageUrl, request.Barcode, ParseShelf(request.Status, prefix + "status", errors, optional: true), request.Grams);

    /// <summary>OnShelf → true, OffShelf → false, omitted (when <paramref name="optional"/>) → null; anything else is an error.</summary>
    public static bool? ParseShelf(string? status, string field, Dictionary<string, string[]> errors, bool optional)
    {
        switch (status)
        {
            case ProductStatuses.OnShelf:
                return true;
            case ProductStatuses.OffShelf:
                return false;
            case null when optional:
                return null;
            default:
                errors[field] = [$"Must be one of: {ProductStatuses.OnShelf}, {ProductStatuses.OffShelf}."];
                return null;
        }
    }

    public static AdminProductResponse ToAdminResponse(this ProductDetails p) => new(
        p.Id, p.Content.Name, p.Content.Description, p.Content.PriceFen, p.Content.CategoryId, p.Content.Attributes,
        p.Content.ImageUrl, p.Status.ToString(), p.CreatedAt, p.UpdatedAt, p.Version, p.OptionNames,
        [.. p.Skus.Select(v => new AdminVariantResponse(v.SkuId, p.Spec(v), SpecValue.Text(p.SpecOf(v)), v.PriceFen, v.ImageUrl, v.Barcode,
            v.OnShelf ? ProductStatuses.OnShelf : ProductStatuses.OffShelf, v.Grams))],
        p.Content.FreightTemplateId ?? Grains.Interfaces.Shipping.FreightTemplate.DefaultId);

    public static ProductResponse ToResponse(this OnShelfProduct found)
    {
        var p = found.Product;
        return new ProductResponse(
            p.Id, p.Content.Name, p.Content.Description, p.Content.PriceFen, p.Content.CategoryId, p.Content.Attributes,
            p.Content.ImageUrl, p.CreatedAt, p.UpdatedAt, found.Available, p.Skus.Where(v => v.OnShelf).Select(v => v.PriceFen).DefaultIfEmpty(p.Content.PriceFen).Max(),
            p.OptionNames,
            [.. p.Skus.Select(v => new VariantResponse(v.SkuId, p.Spec(v), SpecValue.Text(p.SpecOf(v)), v.PriceFen, v.ImageUrl ?? p.Content.ImageUrl,
                v.OnShelf, v.OnShelf ? found.SkuAvailable?.GetValueOrDefault(v.SkuId) ?? found.Available : 0))]);
    }

    public static IReadOnlyList<SpecValueResponse> ToResponse(this IEnumerable<SpecValue>? spec) =>
        spec is null ? [] : [.. spec.Select(s => new SpecValueResponse(s.Name, s.Value))];

    private static IReadOnlyList<SpecValueResponse> Spec(this ProductDetails p, ProductVariant v) => p.SpecOf(v).ToResponse();

    public static ProductSummary ToSummary(this ProductListItem i) =>
        new(i.Id, i.Name, i.PriceFen, i.CategoryId, i.ImageUrl, i.CreatedAt, i.Available, i.MaxPriceFen ?? i.PriceFen, i.VariantCount);

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
