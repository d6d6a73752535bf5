using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Fulfilment;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;

namespace Shop.Api.Orders;

/// <summary><c>/api/admin/orders</c>: every order, and shipping.</summary>
public static class AdminOrderEndpoints
{
    public static RouteGroupBuilder MapAdminOrderEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/orders").WithTags("Orders").RequireShopPolicy(ShopPolicies.Admin);
        group.MapGet("/", ListAsync).WithName("ListAllOrders").WithSummary("Every order, newest first, optionally by status.");
        group.MapPost("/{orderNo}/ship", ShipAsync).WithName("ShipOrder").WithSummary("Marks a paid order shipped.")
            .ValidateShipment<ShipOrderRequest>(r => string.IsNullOrWhiteSpace(r.Carrier) ? [] : [r.Carrier.Trim()], OrderRequestRules.Check)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static Task<Results<Ok<OrderListResponse>, ValidationProblem>> ListAsync(string? status, string? page, string? size, IClusterClient cluster) =>
        OrderEndpoints.ListForAsync(null, page, size, status, cluster);

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ShipAsync(
        string orderNo, ShipOrderRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        OrderNumber.IsValid(orderNo)
            ? (await cluster.GetGrain<IOrderGrain>(orderNo).ShipAsync(user.Caller(), request.Carrier!.Trim(), request.TrackingNo!.Trim())).ToResult()
            : OrderMapping.OrderNotFound();
}
