using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Client.Identity;
using Shop.Hosting;

namespace Shop.Api.Endpoints;

/// <summary><c>/api/me</c>: lets a storefront or operator see who the API thinks they are.</summary>
public static class IdentityEndpoints
{
    public static RouteGroupBuilder MapIdentityEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/me").WithTags("Identity").RequireShopPolicy(ShopPolicies.Customer);
        group.MapGet("/", GetMe).WithName("GetMe").WithSummary("The caller's subject and roles.");
        return api;
    }

    private static Ok<MeResponse> GetMe(ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(user.Subject(), user.Roles()));
}
