using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Auth;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.PersonalData;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Hosting;

namespace Shop.Api.PersonalData;

/// <summary>
/// Erasure of a customer's personal data (PIPL Art. 47, GDPR Art. 17): <c>/api/me/data/erasure</c> for the caller,
/// <c>/api/admin/customers/{userId}/erasure</c> for an admin acting on a customer's behalf. 200 when everything is
/// erased at once; 202 while some orders wait for a payment, refund or after-sales window (the answer says which and
/// until when; the erasure then completes by itself). Asking again while one is pending answers that same request.
/// The customer's own request needs a fresh login, as the export does.
/// </summary>
public static class ErasureEndpoints
{
    public static RouteGroupBuilder MapErasureEndpoints(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me/data/erasure").WithTags("Personal data").RequireShopPolicy(ShopPolicies.Customer);
        me.MapPost("/", RequestMineAsync).WithName("RequestErasure")
            .WithSummary("Erases the caller's personal data: at once, or (202) once their open orders' windows close.")
            .WithDescription("Irreversible, so like the export it needs a login younger than `PersonalData:ExportReauthMaxAgeSeconds` " +
                "(else 401 `REAUTHENTICATION_REQUIRED`: sign in again).")
            .Produces<ErasureResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapGet("/", GetMineAsync).WithName("GetErasure").WithSummary("The caller's latest erasure request.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = api.MapGroup("/admin/customers/{userId}/erasure").WithTags("Personal data").RequireShopPolicy(ShopPolicies.Admin);
        admin.MapPost("/", RequestForAsync).WithName("RequestCustomerErasure")
            .WithSummary("Erases a customer's personal data on their behalf (userId: the token subject, e.g. wx:<openid>).")
            .Produces<ErasureResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();
        admin.MapGet("/", GetForAsync).WithName("GetCustomerErasure").WithSummary("A customer's latest erasure request.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<ErasureResponse>, Accepted<ErasureResponse>, ProblemHttpResult>> RequestMineAsync(
        ClaimsPrincipal user, HttpContext http, IClusterClient cluster, PersonalDataOptions options, TimeProvider time)
    {
        // A stolen token must not be able to destroy the account's data: an old login signs in again first.
        if (!options.IsFreshLogin(user, time.GetUtcNow()))
        {
            return ExportEndpoints.ReauthenticationRequired(http, options, "Erasing personal data");
        }

        var view = (await Erasure(cluster, user.Subject()).RequestAsync(user.Subject(), "customer")).ToResponse();
        return view.Status == ErasureStatuses.Completed ? TypedResults.Ok(view) : TypedResults.Accepted((string?)null, view);
    }

    public static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> GetMineAsync(ClaimsPrincipal user, IClusterClient cluster) =>
        await Erasure(cluster, user.Subject()).GetAsync() is { } view ? TypedResults.Ok(view.ToResponse()) : NotFound();

    public static async Task<Results<Ok<ErasureResponse>, Accepted<ErasureResponse>, ValidationProblem>> RequestForAsync(
        string userId, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (Check(userId) is { } invalid)
        {
            return invalid;
        }

        var view = (await Erasure(cluster, userId).RequestAsync(userId, "admin:" + user.Subject())).ToResponse();
        return view.Status == ErasureStatuses.Completed ? TypedResults.Ok(view) : TypedResults.Accepted((string?)null, view);
    }

    public static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult, ValidationProblem>> GetForAsync(string userId, IClusterClient cluster)
    {
        if (Check(userId) is { } invalid)
        {
            return invalid;
        }

        return await Erasure(cluster, userId).GetAsync() is { } view ? TypedResults.Ok(view.ToResponse()) : NotFound();
    }

    private static IErasureGrain Erasure(IClusterClient cluster, string userId) =>
        cluster.GetGrain<IErasureGrain>(ErasureKeys.LookupKey(userId));

    private static ValidationProblem? Check(string userId) =>
        userId.Length <= ShopTokenIssuer.MaxSubjectLength && !string.IsNullOrWhiteSpace(userId) && !userId.Any(char.IsControl)
            ? null
            : ShopProblems.Validation(new ValidationErrors().Add("userId", $"Required: the customer's token subject, 1 to {ShopTokenIssuer.MaxSubjectLength} characters."));

    private static ProblemHttpResult NotFound() =>
        ShopProblems.NotFound(ErasureErrorCodes.ErasureNotFound, "No erasure was requested for this customer.");

    private static ErasureResponse ToResponse(this ErasureRequestView view) => new(view.RequestId, view.Status.ToString(), view.RequestedAt,
        view.RequestedBy, view.CompletedAt, view.CompletesBy, view.NextAttemptAt, view.ErasedOrders,
        [.. view.Waiting.Select(w => new ErasureWaitingOrderResponse(w.OrderNo, w.Status, w.Until, w.Reason))]);
}
