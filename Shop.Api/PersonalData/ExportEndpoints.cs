using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.PersonalData;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Hosting;

namespace Shop.Api.PersonalData;

/// <summary>
/// <c>GET /api/me/data</c>: a customer's copy of everything Shop holds about them (PIPL Art. 45, GDPR Art. 15/20);
/// <c>GET /api/admin/customers/{userId}/data</c>: the same on their behalf, with a reason, in the access log. Both
/// need a fresh login (a stolen token is usually an old one); the customer's is limited per day across the cluster.
/// </summary>
public static class ExportEndpoints
{
    public const int MaxReasonLength = 500;
    public const string SchemaPath = "Shop.Api/PersonalData/personal-data-export.schema.json";

    public static readonly IReadOnlyList<string> ExportedFields = ["name", "phone", "address", "remark", "openid", "orders", "payments", "cart", "addresses", "after-sales"];

    public static RouteGroupBuilder MapPersonalDataExportEndpoints(this RouteGroupBuilder api)
    {
        const string description = $"One JSON document (`Content-Disposition: attachment`), streamed; its schema is `{SchemaPath}`. " +
            "Needs a login younger than `PersonalData:ExportReauthMaxAgeSeconds` (else 401 `REAUTHENTICATION_REQUIRED`: sign in again).";
        api.MapGet("/me/data", ExportMineAsync).WithTags("Personal data").RequireShopPolicy(ShopPolicies.Customer)
            .WithName("ExportMyData").WithSummary("Everything Shop holds about the caller, as one JSON document (limited per day).")
            .WithDescription(description + " At most `PersonalData:ExportsPerDay` exports in 24 hours (else 429 `EXPORT_LIMIT_REACHED` with `Retry-After`).")
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/admin/customers/{userId}/data", ExportForCustomerAsync).WithTags("Personal data").RequireShopPolicy(ShopPolicies.Admin)
            .WithName("ExportCustomerData").WithSummary("A customer's personal-data export made by an admin; `reason` is required and logged.")
            .WithDescription(description + " Written to the personal-data access log before anything is read.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    public static async Task<Results<ExportWriter, ProblemHttpResult>> ExportMineAsync(
        ClaimsPrincipal user, HttpContext http, IClusterClient cluster, PersonalDataOptions options, TimeProvider time)
    {
        if (!options.IsFreshLogin(user, time.GetUtcNow()))
        {
            return ReauthenticationRequired(http, options);
        }

        var userId = user.Subject();
        var permit = await cluster.GetGrain<IPersonalDataExportQuotaGrain>(userId).TryTakeAsync(options.ExportsPerDay);
        if (!permit.Granted)
        {
            var wait = Math.Max(1, (long)Math.Ceiling((permit.RetryAfter ?? TimeSpan.FromHours(1)).TotalSeconds));
            http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
            return ShopProblems.Problem(StatusCodes.Status429TooManyRequests, PersonalDataErrorCodes.ExportLimitReached,
                $"At most {options.ExportsPerDay} exports of your data in 24 hours; the next one is possible in {wait} seconds.");
        }

        return await ExportWriter.StartAsync(userId, cluster, time);
    }

    public static async Task<Results<ExportWriter, ValidationProblem, ProblemHttpResult>> ExportForCustomerAsync(
        string userId, string? reason, ClaimsPrincipal user, HttpContext http, IClusterClient cluster, PersonalDataOptions options, TimeProvider time)
    {
        var errors = new ValidationErrors().Required("userId", userId, 128).Required("reason", reason?.Trim(), MaxReasonLength);
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        if (!options.IsFreshLogin(user, time.GetUtcNow()))
        {
            return ReauthenticationRequired(http, options);
        }

        var audit = cluster.GetGrain<IPersonalDataAuditGrain>(0);
        var request = new PersonalDataAccessRequest(user.Subject(), userId, null, ExportedFields, PersonalDataPurposes.AdminExport,
            reason!.Trim(), ShopProblemDetails.TraceId(http));
        if (await AuditFilter.RecordOrFailAsync(http, () => audit.RecordAsync(request), null) is ProblemHttpResult unavailable)
        {
            return unavailable;
        }

        return await ExportWriter.StartAsync(userId, cluster, time);
    }

    /// <summary>401 in the shape of RFC 9470 (step-up authentication): the token is valid, the login behind it too old.</summary>
    /// <summary>401 with the step-up challenge: the export and the (irreversible) erasure both ask for it.</summary>
    internal static ProblemHttpResult ReauthenticationRequired(HttpContext http, PersonalDataOptions options, string action = "Exporting personal data")
    {
        var maxAge = (long)options.ReauthMaxAge.TotalSeconds;
        http.Response.Headers.WWWAuthenticate =
            $"Bearer error=\"insufficient_user_authentication\", error_description=\"A more recent login is required\", max_age={maxAge}";
        return ShopProblems.Problem(StatusCodes.Status401Unauthorized, PersonalDataErrorCodes.ReauthenticationRequired,
            $"{action} needs a login within the last {maxAge} seconds: sign in again, then retry with the new token.");
    }
}
