using Refit;

namespace Shop.Client.Catalog;

/// <summary>The catalog part of the public HTTP API: storefront reads (anonymous) and merchant admin (admin role).</summary>
public interface ICatalogApi
{
    /// <summary>On-shelf products; <paramref name="sort"/> is <c>newest</c> (default), <c>price</c> or <c>-price</c>.</summary>
    [Get("/api/products")]
    Task<IApiResponse<ProductListResponse>> ListProductsAsync(int? page = null, int? size = null, string? categoryId = null,
        string? q = null, string? sort = null, CancellationToken cancellationToken = default);

    [Get("/api/products/{id}")]
    Task<IApiResponse<ProductResponse>> GetProductAsync(string id, CancellationToken cancellationToken = default);

    [Get("/api/categories")]
    Task<IApiResponse<CategoryTreeResponse>> GetCategoriesAsync(CancellationToken cancellationToken = default);

    [Get("/api/categories/{id}")]
    Task<IApiResponse<CategoryNode>> GetCategoryAsync(string id, CancellationToken cancellationToken = default);

    [Get("/api/admin/products/{id}")]
    Task<IApiResponse<AdminProductResponse>> GetAdminProductAsync(string id, CancellationToken cancellationToken = default);

    [Post("/api/admin/products")]
    Task<IApiResponse<AdminProductResponse>> CreateProductAsync([Body] ProductRequest request, CancellationToken cancellationToken = default);

    /// <summary><paramref name="ifMatch"/> is the product's ETag (its version in quotes) for a conditional update.</summary>
    [Put("/api/admin/products/{id}")]
    Task<IApiResponse<AdminProductResponse>> UpdateProductAsync(string id, [Body] ProductRequest request,
        [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    [Put("/api/admin/products/{id}/status")]
    Task<IApiResponse<AdminProductResponse>> SetProductStatusAsync(string id, [Body] ProductStatusRequest request,
        CancellationToken cancellationToken = default);

    [Delete("/api/admin/products/{id}")]
    Task<IApiResponse> DeleteProductAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Gives a product without options its options; its single SKU becomes the first variant (same id).</summary>
    [Post("/api/admin/products/{id}/options")]
    Task<IApiResponse<AdminProductResponse>> AddProductOptionsAsync(string id, [Body] ProductOptionsRequest request,
        [Header("If-Match")] string? ifMatch = null, CancellationToken cancellationToken = default);

    /// <summary>Adds a variant to a product with options; the answer is the product (Location names the new SKU).</summary>
    [Post("/api/admin/products/{id}/variants")]
    Task<IApiResponse<AdminProductResponse>> AddVariantAsync(string id, [Body] VariantRequest request, CancellationToken cancellationToken = default);

    [Put("/api/admin/products/{id}/variants/{skuId}")]
    Task<IApiResponse<AdminProductResponse>> UpdateVariantAsync(string id, string skuId, [Body] VariantRequest request,
        CancellationToken cancellationToken = default);

    [Put("/api/admin/products/{id}/variants/{skuId}/status")]
    Task<IApiResponse<AdminProductResponse>> SetVariantStatusAsync(string id, string skuId, [Body] VariantStatusRequest request,
        CancellationToken cancellationToken = default);

    [Post("/api/admin/categories")]
    Task<IApiResponse<CategoryResponse>> CreateCategoryAsync([Body] CreateCategoryRequest request, CancellationToken cancellationToken = default);

    [Put("/api/admin/categories/{id}")]
    Task<IApiResponse<CategoryResponse>> UpdateCategoryAsync(string id, [Body] UpdateCategoryRequest request,
        CancellationToken cancellationToken = default);

    [Delete("/api/admin/categories/{id}")]
    Task<IApiResponse> DeleteCategoryAsync(string id, CancellationToken cancellationToken = default);
}
