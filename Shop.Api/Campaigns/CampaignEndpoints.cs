using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Campaigns;
using Shop.Grains.Interfaces.Campaigns;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Orders;
using Shop.Client;
using Shop.Hosting;

namespace Shop.Api.Campaigns;

/// <summary>
/// <c>/api/admin/campaigns</c>: flash-sale campaigns. Creating one takes each SKU's allotment from its available stock
/// at once (all or nothing: a SKU short of it is a validation problem on its <c>allotment</c> field); what is unsold
/// goes back when the campaign ends (at its end time, or earlier on <c>POST .../end</c>).
/// </summary>
public static class CampaignEndpoints
{
    public static RouteGroupBuilder MapCampaignEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/campaigns").WithTags("Campaigns").RequireShopPolicy(ShopPolicies.Admin);
        group.MapPost("/", CreateAsync).WithName("CreateCampaign")
            .WithSummary("Creates a campaign: SKUs with campaign price and allotment, UTC window, per-customer limit, unpaid timeout.")
            .Validate<CreateCampaignRequest>(CampaignRules.Check)
            .Produces<CampaignResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).WithName("ListCampaigns").WithSummary("Every campaign, newest first, with its state.");
        group.MapGet("/{id}", GetAsync).WithName("GetCampaign")
            .WithSummary("A campaign with sold, reserved and remaining allotment and customers served, per SKU and in total.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/end", EndAsync).WithName("EndCampaign")
            .WithSummary("Ends the campaign now: unsold allotments go back to general stock; units reserved follow their orders.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Created<CampaignResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateCampaignRequest request, ClaimsPrincipal user, IClusterClient cluster,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey)
    {
        if (idempotencyKey is not null && !IdempotencyKeys.IsValidKey(idempotencyKey))
        {
            return ShopProblems.Validation(new ValidationErrors().Add(IdempotencyKeys.Header, "1 to 64 visible ASCII characters (e.g. a UUID)."));
        }

        // With a key, a repeated create (a double click, a retry after a lost answer) reaches the same campaign.
        var id = idempotencyKey is null ? CampaignId.New() : CampaignId.ForKey(user.Subject(), idempotencyKey);
        var definition = new CampaignDefinition(request.Name!.Trim(),
            [.. request.Skus!.Select(s => new CampaignSku(s.SkuId!, s.PriceFen!.Value, s.Allotment!.Value))],
            request.StartsAt!.Value.ToUniversalTime(), request.EndsAt!.Value.ToUniversalTime(), request.PerCustomerLimit!.Value,
            TimeSpan.FromSeconds(request.UnpaidTimeoutSeconds!.Value), user.Subject());
        var created = await cluster.GetGrain<ICampaignGrain>(id).CreateAsync(definition);
        if (created is { Status: CreateCampaignStatus.Created, Campaign: { } campaign })
        {
            return TypedResults.Created($"/api/admin/campaigns/{id}", campaign.ToResponse());
        }

        if (created.Status == CreateCampaignStatus.KeyReused)
        {
            return ShopProblems.Problem(StatusCodes.Status422UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused,
                "This Idempotency-Key was already used to create another campaign.");
        }

        var index = definition.Skus.ToList().FindIndex(s => s.SkuId == created.ShortSku);
        return ShopProblems.Validation(new ValidationErrors().Add($"skus[{index}].allotment",
            $"Only {created.ShortAvailable} units of {created.ShortSku} are available."), "An allotment is more than the SKU has available; nothing was taken.");
    }

    public static async Task<Ok<CampaignListResponse>> ListAsync(IClusterClient cluster)
    {
        var ids = await cluster.GetGrain<ICampaignDirectoryGrain>(0).ListAsync();
        var views = await Task.WhenAll(ids.Select(id => cluster.GetGrain<ICampaignGrain>(id).GetAsync()));
        return TypedResults.Ok(new CampaignListResponse([.. views.OfType<CampaignView>().Select(v => v.ToResponse())]));
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> GetAsync(string id, IClusterClient cluster) =>
        CampaignId.IsValid(id) && await cluster.GetGrain<ICampaignGrain>(id).GetAsync() is { } view
            ? TypedResults.Ok(view.ToResponse())
            : NotFound();

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> EndAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        CampaignId.IsValid(id) && await cluster.GetGrain<ICampaignGrain>(id).EndAsync("admin:" + user.Subject()) is { } view
            ? TypedResults.Ok(view.ToResponse())
            : NotFound();

    private static ProblemHttpResult NotFound() => ShopProblems.NotFound(CampaignErrorCodes.CampaignNotFound, "No such campaign.");

    public static CampaignResponse ToResponse(this CampaignView view)
    {
        var skus = view.Skus.Select(s => new CampaignSkuResponse(s.SkuId, s.PriceFen, s.Stock.Allotment, s.Stock.Reserved, s.Stock.Sold,
            s.Stock.Remaining, s.Stock.CustomersServed)).ToList();
        return new CampaignResponse(view.Id, view.Name, view.Status.ToString(), view.StartsAt, view.EndsAt, view.EndedAt,
            view.PerCustomerLimit, (int)view.UnpaidTimeout.TotalSeconds, view.CreatedAt, skus,
            skus.Sum(s => s.Sold), skus.Sum(s => s.Reserved), skus.Sum(s => s.Remaining), skus.Sum(s => s.CustomersServed));
    }
}

/// <summary>The field rules of a campaign: each broken one is named in the 400 problem.</summary>
public static class CampaignRules
{
    public static void Check(CreateCampaignRequest r, ValidationErrors errors)
    {
        errors.Required("name", r.Name, CreateCampaignRequest.MaxNameLength);
        if (r.Skus is not { Count: >= 1 and <= CreateCampaignRequest.MaxSkus } skus)
        {
            errors.Add("skus", $"Between 1 and {CreateCampaignRequest.MaxSkus} SKUs.");
        }
        else
        {
            for (var i = 0; i < skus.Count; i++)
            {
                var sku = skus[i];
                errors.Check(sku is { SkuId: { } id } && SkuId.IsValid(id), $"skus[{i}].skuId", "Must be a SKU id (a variant's, or a single-SKU product's id).")
                    .Check(sku?.SkuId is null || skus.Take(i).All(s => s?.SkuId != sku.SkuId), $"skus[{i}].skuId", "Listed twice.");
                if (sku?.PriceFen is not > 0)
                {
                    errors.Add($"skus[{i}].priceFen", "Must be more than 0 fen.");
                }
                else
                {
                    errors.Range($"skus[{i}].priceFen", sku.PriceFen, 1, CreateCampaignRequest.MaxPriceFen);
                }

                errors.Range($"skus[{i}].allotment", sku?.Allotment, 1, CreateCampaignRequest.MaxAllotment);
            }
        }

        errors.Check(r.StartsAt is not null, "startsAt", "Required (UTC).").Check(r.EndsAt is not null, "endsAt", "Required (UTC).");
        if (r is { StartsAt: { } start, EndsAt: { } end })
        {
            errors.Check(end > start, "endsAt", "Must be after startsAt.")
                .Check(end - start <= TimeSpan.FromDays(CreateCampaignRequest.MaxDurationDays), "endsAt", $"At most {CreateCampaignRequest.MaxDurationDays} days after startsAt.")
                .Check(end > DateTimeOffset.UtcNow, "endsAt", "Must be in the future.");
        }

        errors.Range("perCustomerLimit", r.PerCustomerLimit, 1, CreateCampaignRequest.MaxPerCustomerLimit)
            .Range("unpaidTimeoutSeconds", r.UnpaidTimeoutSeconds, CreateCampaignRequest.MinUnpaidTimeoutSeconds, CreateCampaignRequest.MaxUnpaidTimeoutSeconds);
    }
}
