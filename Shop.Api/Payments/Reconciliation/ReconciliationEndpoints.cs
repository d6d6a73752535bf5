using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Reconciliation;
using Shop.Grains.Interfaces.Payments.Reconciliation;
using Shop.Hosting;

namespace Shop.Api.Payments.Reconciliation;

/// <summary>
/// <c>/api/admin/reconciliation</c>: the daily runs against WeChat Pay's bills, re-running a date, and the queue of
/// differences an operator works through.
/// </summary>
public static class ReconciliationEndpoints
{
    public const string Tag = "Admin: reconciliation";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static RouteGroupBuilder MapReconciliationEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/reconciliation").WithTags(Tag).RequireShopPolicy(ShopPolicies.Admin);
        group.MapGet("/runs", ListRunsAsync).WithName("ListBillRuns")
            .WithSummary("Bill runs, newest bill date first: rows, matched, differences, settled and status per date.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/runs/{billDate}", GetRunAsync).WithName("GetBillRun")
            .WithSummary("The reconciliation of one bill date (yyyy-MM-dd, Beijing time).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/runs/{billDate}", RunAsync).WithName("RunBillDate")
            .WithSummary("Reconciles a bill date now, or again: fetches both bills, matches them and updates the differences (202; poll the run).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/differences", ListDifferencesAsync).WithName("ListReconciliationDifferences")
            .WithSummary("Differences between WeChat Pay's bills and the shop's records, newest bill date first (filter by status and date).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/differences/{id}/resolve", ResolveAsync).WithName("ResolveReconciliationDifference")
            .WithSummary("Marks an open difference resolved by the caller, saying why.")
            .Validate<ResolveDifferenceRequest>((r, errors) => errors.Required("resolution", r.Resolution, ResolveDifferenceRequest.MaxResolutionLength))
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<Ok<BillRunListResponse>, ValidationProblem, ProblemHttpResult>> ListRunsAsync(
        int? limit, IConfiguration configuration, IClusterClient cluster)
    {
        if (NotConfigured(configuration) is { } off)
        {
            return off;
        }

        var size = limit ?? BillRunListResponse.DefaultLimit;
        var errors = new ValidationErrors().Check(size is >= 1 and <= BillRunListResponse.MaxLimit, "limit", $"Must be between 1 and {BillRunListResponse.MaxLimit}.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var runs = await cluster.GetGrain<IReconciliationQueryGrain>(0).ListRunsAsync(size);
        return TypedResults.Ok(new BillRunListResponse([.. runs.Select(ToResponse)]));
    }

    public static async Task<Results<Ok<BillRunResponse>, ValidationProblem, ProblemHttpResult>> GetRunAsync(
        string billDate, IConfiguration configuration, IClusterClient cluster)
    {
        if (NotConfigured(configuration) is { } off)
        {
            return off;
        }

        if (ParseDate(billDate, out _) is { } invalid)
        {
            return invalid;
        }

        return await cluster.GetGrain<IBillReconciliationGrain>(billDate).GetAsync() is { } run
            ? TypedResults.Ok(ToResponse(run))
            : ShopProblems.NotFound(ReconciliationErrorCodes.BillRunNotFound, $"The bills of {billDate} were never reconciled.");
    }

    public static async Task<Results<Accepted<BillRunResponse>, ValidationProblem, ProblemHttpResult>> RunAsync(
        string billDate, ClaimsPrincipal user, IConfiguration configuration, IClusterClient cluster, TimeProvider clock)
    {
        if (NotConfigured(configuration) is { } off)
        {
            return off;
        }

        if (ParseDate(billDate, out var date) is { } invalid)
        {
            return invalid;
        }

        // WeChat Pay keeps bills for three months; today's is incomplete until the day is over (re-run it tomorrow).
        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Beijing).DateTime);
        if (date > today || date < today.AddMonths(-3))
        {
            return ShopProblems.Validation(new ValidationErrors().Add("billDate", "Must be a date of the last three months, not in the future (Beijing time)."));
        }

        var run = await cluster.GetGrain<IBillReconciliationGrain>(billDate).StartAsync("admin:" + user.Subject(), rerun: true);
        return TypedResults.Accepted($"/api/admin/reconciliation/runs/{billDate}", ToResponse(run));
    }

    public static async Task<Results<Ok<DifferencePageResponse>, ValidationProblem, ProblemHttpResult>> ListDifferencesAsync(
        string? status, string? billDate, int? limit, string? after, IConfiguration configuration, IClusterClient cluster)
    {
        if (NotConfigured(configuration) is { } off)
        {
            return off;
        }

        var size = limit ?? DifferencePageResponse.DefaultLimit;
        var errors = new ValidationErrors()
            .Check(status is null or DifferenceStatuses.Open or DifferenceStatuses.Resolved or DifferenceStatuses.Settled, "status", "Must be open, resolved or settled.")
            .Check(billDate is null || IsDate(billDate), "billDate", "Must be a date yyyy-MM-dd.")
            .Check(size is >= 1 and <= DifferencePageResponse.MaxLimit, "limit", $"Must be between 1 and {DifferencePageResponse.MaxLimit}.")
            .Check(after is null || (after.Length <= 100 && after.Length > 11 && IsDate(after[..10]) && after[10] == ':'), "after", "Must be a next value of a previous page.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var page = await cluster.GetGrain<IReconciliationQueryGrain>(0).ListDifferencesAsync(new DifferenceQuery(status, billDate, size, after));
        return TypedResults.Ok(new DifferencePageResponse([.. page.Items.Select(ToResponse)], page.Next));
    }

    public static async Task<Results<Ok<DifferenceResponse>, ProblemHttpResult, ValidationProblem>> ResolveAsync(
        string id, ResolveDifferenceRequest request, ClaimsPrincipal user, IConfiguration configuration, IClusterClient cluster)
    {
        if (NotConfigured(configuration) is { } off)
        {
            return off;
        }

        if (id.Length > 64)
        {
            return ShopProblems.NotFound(ReconciliationErrorCodes.DifferenceNotFound, "No difference has this id.");
        }

        var outcome = await cluster.GetGrain<IReconciliationQueryGrain>(0).ResolveAsync(id, "admin:" + user.Subject(), request.Resolution!.Trim());
        return outcome.Status switch
        {
            ResolveStatus.Resolved => TypedResults.Ok(ToResponse(outcome.Difference!)),
            ResolveStatus.NotOpen => ShopProblems.Conflict(ReconciliationErrorCodes.DifferenceNotOpen,
                $"The difference is {outcome.Difference!.Status}: there is nothing to resolve."),
            _ => ShopProblems.NotFound(ReconciliationErrorCodes.DifferenceNotFound, "No difference has this id."),
        };
    }

    /// <summary>Reconciliation runs in the silos only with WeChat Pay and PostgreSQL; the API has the same settings.</summary>
    private static ProblemHttpResult? NotConfigured(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["WeChatPay:MchId"]) || string.IsNullOrWhiteSpace(configuration.GetConnectionString("Shop"))
            ? ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, ReconciliationErrorCodes.ReconciliationNotConfigured,
                "Reconciliation needs WeChat Pay (WeChatPay:MchId) and PostgreSQL (ConnectionStrings:Shop); this deployment lacks one.")
            : null;

    private static bool IsDate(string text) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static ValidationProblem? ParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            ? null
            : ShopProblems.Validation(new ValidationErrors().Add("billDate", "Must be a date yyyy-MM-dd."));

    private static BillRunResponse ToResponse(BillRunView r) =>
        new(r.BillDate, r.Status, r.Attempt, r.RequestedBy, r.StartedAt, r.FinishedAt, r.TradeRows, r.FundRows, r.Matched, r.Differences, r.Settled, r.Error, r.WaitingSince);

    private static DifferenceResponse ToResponse(DifferenceView d) =>
        new(d.Id, d.BillDate, d.Kind, d.OutTradeNo, d.OutRefundNo, d.TransactionId, d.BillFen, d.ShopFen, d.Detail, d.Status, d.Settlement, d.FoundAt,
            d.ResolvedBy, d.ResolvedAt, d.Resolution);
}
