namespace Shop.Api.Endpoints;

public static class EndpointConventions
{
    /// <summary>Requires a policy and documents the 401/403 problems it can answer with.</summary>
    public static TBuilder RequireShopPolicy<TBuilder>(this TBuilder builder, string policy)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(policy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>
    /// The <c>/api</c> root every feature maps under. The problems any route can answer with (the rate limiter's 429
    /// unless exempt, the exception handler's 500, body binding's 400/413/415) are documented from endpoint metadata by
    /// <see cref="Hosting.ApiOpenApiOperations"/>, not declared here.
    /// </summary>
    public static RouteGroupBuilder MapApiRoot(this IEndpointRouteBuilder app) =>
        app.MapGroup("/api").AddEndpointFilter<Hosting.SiloFailoverRetryFilter>();

    internal static string[] Roles(this System.Security.Claims.ClaimsPrincipal user) =>
        user.FindAll("role").Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray();

    internal static string Subject(this System.Security.Claims.ClaimsPrincipal user) =>
        // The customer and admin policies require the claim; reaching here without it is a routing mistake.
        user.FindFirst("sub")?.Value ?? throw new InvalidOperationException("A route using the caller's sub is not protected by a Shop policy.");
}
