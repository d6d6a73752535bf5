using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Auth;
using Shop.Api.Errors;
using Shop.Client.Identity;

namespace Shop.Api.Endpoints;

/// <summary>
/// <c>POST /api/dev/token</c>: mints a token for local testing. Mapped (and the issuer registered) only when the
/// environment is Development, so no other host can mint tokens.
/// </summary>
public static class DevTokenEndpoints
{
    public static RouteGroupBuilder MapDevTokenEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/dev").WithTags("Development").AllowAnonymous();
        group.MapPost("/token", CreateToken)
            .WithName("CreateDevToken")
            .WithSummary("Development only: mint a signed token for a subject and role.")
            .Validate<DevTokenRequest>((r, errors) => ShopTokenIssuer.Check(r.Sub, r.Role, r.Minutes, errors));
        return api;
    }

    private static Ok<TokenResponse> CreateToken(DevTokenRequest request, ShopTokenIssuer issuer) =>
        TypedResults.Ok(issuer.Issue(request.Sub, request.Role, request.Minutes));
}
