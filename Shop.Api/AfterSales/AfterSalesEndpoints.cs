using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Orders;
using Shop.Client;
using Shop.Client.AfterSales;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;

namespace Shop.Api.AfterSales;

/// <summary>
/// <c>/api/orders/{orderNo}/after-sales</c>: the owner of a paid order opens requests for its lines (refund only, or
/// return and refund), follows them, sends the goods back, or withdraws them. Another customer's order or request is 404.
/// </summary>
public static class AfterSalesEndpoints
{
    public static RouteGroupBuilder MapAfterSalesEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orders/{orderNo}/after-sales").WithTags("After-sales").RequireShopPolicy(ShopPolicies.Customer);
        group.MapPost("/", OpenAsync).WithName("OpenAfterSales")
            .WithSummary("Opens an after-sales request (refund only, or return and refund) for lines of a paid order.")
            .Validate<CreateAfterSalesRequest>(AfterSalesRules.Check)
            .Produces<AfterSalesResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListAsync).WithName("ListOrderAfterSales").WithSummary("The order's after-sales requests, oldest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{requestId}", GetAsync).WithName("GetAfterSales").WithSummary("One after-sales request of the order.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{requestId}/withdraw", WithdrawAsync).WithName("WithdrawAfterSales")
            .WithSummary("Withdraws the caller's own request while it is under review or waiting for the return.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{requestId}/return-shipment", SubmitReturnAsync).WithName("SubmitAfterSalesReturn")
            .WithSummary("Submits the return courier and tracking number of an approved return, before the return deadline.")
            .Validate<SubmitReturnShipmentRequest>(AfterSalesRules.CheckReturn)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Created<AfterSalesResponse>, ProblemHttpResult, ValidationProblem>> OpenAsync(
        string orderNo, CreateAfterSalesRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!OrderNumber.IsValid(orderNo))
        {
            return OrderMapping.OrderNotFound();
        }

        var command = new OpenAfterSalesCommand(Enum.Parse<AfterSalesKind>(request.Kind!),
            [.. request.Lines!.Select(l => new AfterSalesLineRequest(l.Line!.Value, l.Quantity!.Value))],
            request.Reason!.Trim(), string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(), request.PhotoUrls ?? []);
        var outcome = await cluster.GetGrain<IOrderAfterSalesGrain>(orderNo).OpenAfterSalesAsync(user.Caller(), command);
        return outcome switch
        {
            { Status: AfterSalesOutcomeStatus.Ok, Request: { } opened } =>
                TypedResults.Created($"/api/orders/{orderNo}/after-sales/{opened.RequestId}", opened.ToResponse()),
            { Status: AfterSalesOutcomeStatus.NotFound } => OrderMapping.OrderNotFound(),
            { Status: AfterSalesOutcomeStatus.UnknownLine } => ShopProblems.Validation(new ValidationErrors().Add("lines", outcome.Detail!)),
            _ => AfterSalesMapping.Problem(outcome),
        };
    }

    public static async Task<Results<Ok<AfterSalesListResponse>, ProblemHttpResult>> ListAsync(string orderNo, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!OrderNumber.IsValid(orderNo) || (await cluster.GetGrain<IOrderGrain>(orderNo).GetAsync(user.Caller())).Status != OrderOutcomeStatus.Ok)
        {
            return OrderMapping.OrderNotFound();
        }

        var query = new AfterSalesListQuery(null, orderNo, null, 1, AfterSalesListResponse.MaxSize);
        return TypedResults.Ok((await cluster.GetGrain<IAfterSalesQueryGrain>(0).ListAsync(query)).ToResponse(query));
    }

    public static async Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> GetAsync(
        string orderNo, string requestId, ClaimsPrincipal user, IClusterClient cluster) =>
        await FindAsync(orderNo, requestId, user, cluster) is { } grain ? (await grain.GetAsync(user.AfterSalesCaller())).ToResult() : AfterSalesMapping.NotFound();

    public static async Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> WithdrawAsync(
        string orderNo, string requestId, ClaimsPrincipal user, IClusterClient cluster) =>
        await FindAsync(orderNo, requestId, user, cluster) is { } grain ? (await grain.WithdrawAsync(user.AfterSalesCaller())).ToResult() : AfterSalesMapping.NotFound();

    public static async Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> SubmitReturnAsync(
        string orderNo, string requestId, SubmitReturnShipmentRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        await FindAsync(orderNo, requestId, user, cluster) is { } grain
            ? (await grain.SubmitReturnAsync(user.AfterSalesCaller(), request.Carrier!.Trim(), request.TrackingNo!.Trim())).ToResult()
            : AfterSalesMapping.NotFound();

    /// <summary>The request's grain when the caller may see it and it belongs to <paramref name="orderNo"/>; otherwise null (404).</summary>
    private static async Task<IAfterSalesGrain?> FindAsync(string orderNo, string requestId, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!OrderNumber.IsValid(orderNo) || !AfterSalesRequest.IsValidId(requestId))
        {
            return null;
        }

        var grain = cluster.GetGrain<IAfterSalesGrain>(requestId);
        return (await grain.GetAsync(user.AfterSalesCaller())).Request?.OrderNo == orderNo ? grain : null;
    }
}
