namespace Shop.Api.Catalog;

public static class CatalogEndpoints
{
    /// <summary>
    /// Every catalog route, under the <c>/api</c> root: storefront products and categories (anonymous), and their
    /// admin counterparts under <c>/admin</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder api) => api
        .MapProductEndpoints()
        .MapCategoryEndpoints()
        .MapAdminProductEndpoints()
        .MapAdminVariantEndpoints()
        .MapAdminProductOptionEndpoints();
}
