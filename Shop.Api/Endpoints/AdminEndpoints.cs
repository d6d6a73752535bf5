using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Client.Identity;
using Shop.Hosting;

namespace Shop.Api.Endpoints;

/// <summary><c>/api/admin</c>: operator routes; every one needs the admin role.</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin").WithTags("Admin").RequireShopPolicy(ShopPolicies.Admin);
        group.MapGet("/ping", PingAsync).WithName("AdminPing")
            .WithSummary("Round trip into the cluster: how many silos are active.");
        return api;
    }

    private static async Task<Ok<AdminPingResponse>> PingAsync(
        ClaimsPrincipal user, IClusterClient cluster, TimeProvider time, CancellationToken cancellationToken)
    {
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken);
        return TypedResults.Ok(new AdminPingResponse(user.Subject(), hosts.Count, time.GetUtcNow()));
    }
}
