using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.PersonalData;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Hosting;

namespace Shop.Api.PersonalData;

/// <summary><c>GET /api/admin/personal-data-access</c>: who read whose personal data, newest first.</summary>
public static class AuditEndpoints
{
    public static RouteGroupBuilder MapPersonalDataAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/admin/personal-data-access", ListAsync).WithTags("Personal data").RequireShopPolicy(ShopPolicies.Admin)
            .WithName("ListPersonalDataAccess")
            .WithSummary("The access log of operators' reads of personal data, newest first; filter by customer, admin and time.")
            .WithDescription("`from` and `to` are ISO 8601 times (from inclusive, to exclusive); pass `next` of a page as `before` for the next one.")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Results<Ok<PersonalDataAccessListResponse>, ValidationProblem>> ListAsync(
        string? customer, string? admin, string? from, string? to, string? before, string? size, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var fromTime = ParseTime(from, "from", errors);
        var toTime = ParseTime(to, "to", errors);
        long? beforeId = null;
        if (!string.IsNullOrEmpty(before))
        {
            errors.Check(long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0, "before", "Must be a record id (the `next` of the previous page).");
            beforeId = id;
        }

        var pageSize = PersonalDataAccessListResponse.DefaultSize;
        if (!string.IsNullOrEmpty(size))
        {
            errors.Check(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= PersonalDataAccessListResponse.MaxSize,
                "size", $"Must be a whole number from 1 to {PersonalDataAccessListResponse.MaxSize}.");
        }

        errors.Check(customer is null || customer.Length is > 0 and <= 128, "customer", "Must be a user id of at most 128 characters.")
            .Check(admin is null || admin.Length is > 0 and <= 128, "admin", "Must be a user id of at most 128 characters.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var page = await cluster.GetGrain<IPersonalDataAuditGrain>(0).ListAsync(new PersonalDataAccessQuery(customer, admin, fromTime, toTime, beforeId, pageSize));
        return TypedResults.Ok(new PersonalDataAccessListResponse(
            [.. page.Items.Select(r => new PersonalDataAccessResponse(r.Id, r.At, r.Admin, r.CustomerId, r.OrderNo, r.Fields, r.Purpose, r.Reason, r.TraceId))],
            page.NextBefore));
    }

    private static DateTimeOffset? ParseTime(string? raw, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        var ok = DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time);
        errors.Check(ok, field, "Must be an ISO 8601 time, e.g. 2026-12-01T00:00:00Z.");
        return ok ? time.ToUniversalTime() : null;
    }
}
