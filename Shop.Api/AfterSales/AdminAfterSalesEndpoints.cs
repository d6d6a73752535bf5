using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.AfterSales;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Hosting;

namespace Shop.Api.AfterSales;

/// <summary>
/// <c>/api/admin/after-sales</c>: the merchant's to-do lists by status with counts (to review, waiting for the return,
/// to refund) and the decisions: approve, reject, confirm receipt of the returned goods (restocking them or not), reject them.
/// </summary>
public static class AdminAfterSalesEndpoints
{
    public static RouteGroupBuilder MapAdminAfterSalesEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/after-sales").WithTags("After-sales").RequireShopPolicy(ShopPolicies.Admin);
        group.MapGet("/", ListAsync).WithName("ListAfterSales")
            .WithSummary("After-sales requests, oldest first, optionally by status, with the count of every status.");
        group.MapGet("/{requestId}", GetAsync).WithName("GetAfterSalesAsAdmin").WithSummary("One after-sales request.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        Decision(group.MapPost("/{requestId}/approve", ApproveAsync).WithName("ApproveAfterSales")
            .WithSummary("Approves a request: a refund only is refunded now, a return waits for the goods.")
            .Validate<AfterSalesDecisionRequest>(AfterSalesRules.CheckOptionalReason));
        Decision(group.MapPost("/{requestId}/reject", RejectAsync).WithName("RejectAfterSales")
            .WithSummary("Rejects a request under review, with a reason.")
            .Validate<AfterSalesDecisionRequest>(AfterSalesRules.CheckRequiredReason));
        Decision(group.MapPost("/{requestId}/confirm-receipt", ConfirmReceiptAsync).WithName("ConfirmAfterSalesReceipt")
            .WithSummary("Confirms the returned goods arrived (restocking them or not); the refund goes through WeChat Pay.")
            .Validate<ConfirmReturnReceiptRequest>(AfterSalesRules.CheckReceipt));
        Decision(group.MapPost("/{requestId}/reject-goods", RejectGoodsAsync).WithName("RejectAfterSalesGoods")
            .WithSummary("Refuses the returned goods, with a reason; nothing is refunded.")
            .Validate<AfterSalesDecisionRequest>(AfterSalesRules.CheckRequiredReason));
        return api;
    }

    public static async Task<Results<Ok<AfterSalesListResponse>, ValidationProblem>> ListAsync(string? status, string? page, string? size, IClusterClient cluster)
    {
        var pageNumber = ParseInt(page, 1);
        var pageSize = ParseInt(size, AfterSalesListResponse.DefaultSize);
        var known = string.IsNullOrEmpty(status) || Enum.GetNames<AfterSalesStatus>().Contains(status, StringComparer.Ordinal);
        AfterSalesStatus? filter = known && !string.IsNullOrEmpty(status) ? Enum.Parse<AfterSalesStatus>(status) : null;
        var errors = new ValidationErrors()
            .Check(pageNumber is >= 1 and <= AfterSalesListResponse.MaxPage, "page", $"Must be a whole number from 1 to {AfterSalesListResponse.MaxPage}.")
            .Check(pageSize is >= 1 and <= AfterSalesListResponse.MaxSize, "size", $"Must be a whole number from 1 to {AfterSalesListResponse.MaxSize}.")
            .Check(known, "status", $"Must be one of: {string.Join(", ", Enum.GetNames<AfterSalesStatus>())}.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var query = new AfterSalesListQuery(filter, null, null, pageNumber!.Value, pageSize!.Value);
        return TypedResults.Ok((await cluster.GetGrain<IAfterSalesQueryGrain>(0).ListAsync(query)).ToResponse(query));
    }

    public static Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> GetAsync(string requestId, ClaimsPrincipal user, IClusterClient cluster) =>
        Act(requestId, cluster, g => g.GetAsync(user.AfterSalesCaller()));

    public static Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> ApproveAsync(
        string requestId, AfterSalesDecisionRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        Act(requestId, cluster, g => g.ApproveAsync(user.AfterSalesCaller(), string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim()));

    public static Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> RejectAsync(
        string requestId, AfterSalesDecisionRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        Act(requestId, cluster, g => g.RejectAsync(user.AfterSalesCaller(), request.Reason!.Trim()));

    public static Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> ConfirmReceiptAsync(
        string requestId, ConfirmReturnReceiptRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        Act(requestId, cluster, g => g.ConfirmReceiptAsync(user.AfterSalesCaller(), request.Restock!.Value));

    public static Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> RejectGoodsAsync(
        string requestId, AfterSalesDecisionRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        Act(requestId, cluster, g => g.RejectGoodsAsync(user.AfterSalesCaller(), request.Reason!.Trim()));

    private static void Decision(RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Ok<AfterSalesResponse>, ProblemHttpResult>> Act(
        string requestId, IClusterClient cluster, Func<IAfterSalesGrain, Task<AfterSalesOutcome>> act) =>
        AfterSalesRequest.IsValidId(requestId) ? (await act(cluster.GetGrain<IAfterSalesGrain>(requestId))).ToResult() : AfterSalesMapping.NotFound();

    private static int? ParseInt(string? raw, int fallback) =>
        string.IsNullOrEmpty(raw) ? fallback : int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
