using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Api.Hosting;
using Shop.Hosting;

namespace Shop.Api.Orders;

/// <summary><c>/api/orders</c>: a customer's own orders (admins may read any); another customer's order is 404.</summary>
public static class OrderEndpoints
{
    public static RouteGroupBuilder MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orders").WithTags("Orders").RequireShopPolicy(ShopPolicies.Customer);
        group.MapPost("/", CreateOrderEndpoint.CreateAsync).WithName("CreateOrder").WithMetadata(Hosting.IdempotentCall.Instance)
            .WithSummary("Creates an order (Idempotency-Key header required).")
            .WithIdempotencyKeyHeader()
            .AddEndpointFilter(ShopApiMetrics.CountValidationRejections)
            .Validate<CreateOrderRequest>(OrderRequestRules.Check)
            .Produces<OrderResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).WithName("ListMyOrders").WithSummary("The caller's orders, newest first.");
        group.MapGet("/{orderNo}", GetAsync).WithName("GetOrder").WithSummary("One order (owner or admin).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{orderNo}/cancel", CancelAsync).WithName("CancelOrder")
            .WithSummary("Cancels an unpaid order (closing its WeChat Pay transaction first; 503 when that cannot be confirmed).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/{orderNo}/confirm-receipt", ConfirmReceiptAsync).WithName("ConfirmReceipt").WithSummary("Confirms a shipped order arrived.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetAsync(string orderNo, ClaimsPrincipal user, IClusterClient cluster) =>
        OrderNumber.IsValid(orderNo) ? (await cluster.GetGrain<IOrderGrain>(orderNo).GetAsync(user.Caller())).ToResult() : OrderMapping.OrderNotFound();

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> CancelAsync(string orderNo, ClaimsPrincipal user, HttpContext http, IClusterClient cluster) =>
        OrderNumber.IsValid(orderNo) ? (await cluster.GetGrain<IOrderGrain>(orderNo).CancelAsync(user.Caller())).ToResult(http) : OrderMapping.OrderNotFound();

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ConfirmReceiptAsync(string orderNo, ClaimsPrincipal user, IClusterClient cluster) =>
        OrderNumber.IsValid(orderNo) ? (await cluster.GetGrain<IOrderGrain>(orderNo).ConfirmReceiptAsync(user.Caller())).ToResult() : OrderMapping.OrderNotFound();

    public static Task<Results<Ok<OrderListResponse>, ValidationProblem>> ListAsync(
        string? page, string? size, string? status, ClaimsPrincipal user, IClusterClient cluster) =>
        ListForAsync(user.Subject(), page, size, status, cluster);

    /// <summary>A page of orders from the orders table; <paramref name="userId"/> null lists everyone's (admin).</summary>
    public static async Task<Results<Ok<OrderListResponse>, ValidationProblem>> ListForAsync(
        string? userId, string? page, string? size, string? status, IClusterClient cluster)
    {
        var pageNumber = ParseInt(page, 1);
        var pageSize = ParseInt(size, OrderListResponse.DefaultSize);
        var errors = new ValidationErrors()
            .Check(pageNumber is >= 1 and <= OrderListResponse.MaxPage, "page", $"Must be a whole number from 1 to {OrderListResponse.MaxPage}.")
            .Check(pageSize is >= 1 and <= OrderListResponse.MaxSize, "size", $"Must be a whole number from 1 to {OrderListResponse.MaxSize}.")
            .Check(OrderMapping.TryParseStatus(status, out var statusFilter), "status", $"Must be one of: {string.Join(", ", Enum.GetNames<OrderStatus>())}.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var query = new OrderListQuery(userId, statusFilter, pageNumber!.Value, pageSize!.Value);
        var result = await cluster.GetGrain<IOrderQueryGrain>(0).ListAsync(query);
        return TypedResults.Ok(result.ToResponse(query));
    }

    private static int? ParseInt(string? raw, int fallback) =>
        string.IsNullOrEmpty(raw) ? fallback : int.TryParse(raw, System.Globalization.NumberStyles.None, null, out var value) ? value : null;
}
