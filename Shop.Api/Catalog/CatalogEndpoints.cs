namespace Shop.Api.Catalog;

public static class CatalogEndpoints
{
    /// <summary>Every catalog route: storefront products and categories, and their admin counterparts.</summary>
    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder app) => app
        .MapProductEndpoints()
        .MapCategoryEndpoints()
        .MapAdminProductEndpoints();
}
