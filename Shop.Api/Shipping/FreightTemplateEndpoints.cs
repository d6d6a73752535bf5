using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Shipping;
using Shop.Grains.Interfaces.Ids;
using Shop.Grains.Interfaces.Shipping;
using Shop.Hosting;

namespace Shop.Api.Shipping;

/// <summary><c>/api/admin/freight-templates</c>: the merchant's freight templates (运费模板); the default one is seeded.</summary>
public static class FreightTemplateEndpoints
{
    public static RouteGroupBuilder MapFreightTemplateEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/freight-templates").WithTags("Admin: shipping").RequireShopPolicy(ShopPolicies.Admin);
        group.MapGet("/", ListAsync).WithName("ListFreightTemplates").WithSummary("Every freight template, the default one first.");
        group.MapPost("/", CreateAsync).WithName("CreateFreightTemplate")
            .WithSummary("Creates a freight template: by piece or weight, prices per region group, regions not delivered to, a free-shipping threshold.");
        group.MapGet("/{id}", GetAsync).WithName("GetFreightTemplate").WithSummary("One freight template.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id}", UpdateAsync).WithName("UpdateFreightTemplate")
            .WithSummary("Replaces a template (conditional with the body's version); orders created from now on use it.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteFreightTemplate")
            .WithSummary("Deletes a template that no product names (not the default); 409 FREIGHT_TEMPLATE_IN_USE while products still use it.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<FreightTemplateListResponse>> ListAsync(IGrainFactory grains)
    {
        var set = await Templates(grains).GetAllAsync();
        return TypedResults.Ok(new FreightTemplateListResponse(
            [.. set.Templates.Values.OrderByDescending(t => t.Id == FreightTemplate.DefaultId).ThenBy(t => t.Name, StringComparer.Ordinal).Select(t => t.ToResponse())]));
    }

    public static async Task<Results<Created<FreightTemplateResponse>, ValidationProblem>> CreateAsync([FromBody] FreightTemplateRequest? request, IGrainFactory grains)
    {
        var draft = request.ToDraft();
        if (FreightTemplateRules.TryNormalize(draft, RegionTable.Embedded, out var errors) is null)
        {
            return ShopProblems.Validation(errors);
        }

        var id = RandomId.New(FreightTemplate.IdPrefix);
        var outcome = await Templates(grains).CreateAsync(id, draft);
        return outcome is { Status: FreightTemplateOutcomeStatus.Ok, Template: { } created }
            ? TypedResults.Created($"/api/admin/freight-templates/{id}", created.ToResponse())
            : ShopProblems.Validation(new Dictionary<string, string[]>(outcome.Errors ?? new Dictionary<string, string[]>()));
    }

    public static async Task<Results<Ok<FreightTemplateResponse>, ProblemHttpResult>> GetAsync(string id, IGrainFactory grains) =>
        FreightTemplate.IsValidId(id) && (await Templates(grains).GetAllAsync()).Templates.TryGetValue(id, out var template)
            ? TypedResults.Ok(template.ToResponse())
            : NotFound();

    public static async Task<Results<Ok<FreightTemplateResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, [FromBody] FreightTemplateRequest? request, IGrainFactory grains)
    {
        if (!FreightTemplate.IsValidId(id))
        {
            return NotFound();
        }

        var draft = request.ToDraft();
        if (FreightTemplateRules.TryNormalize(draft, RegionTable.Embedded, out var errors) is null)
        {
            return ShopProblems.Validation(errors);
        }

        var outcome = await Templates(grains).UpdateAsync(id, draft, request?.Version);
        return outcome switch
        {
            { Status: FreightTemplateOutcomeStatus.Ok, Template: { } updated } => TypedResults.Ok(updated.ToResponse()),
            { Status: FreightTemplateOutcomeStatus.VersionConflict, Template: { } current } => ShopProblems.Conflict(
                Client.Catalog.CatalogErrorCodes.VersionConflict, $"The template changed meanwhile: it is at version {current.Version}."),
            { Status: FreightTemplateOutcomeStatus.Invalid } => ShopProblems.Validation(new Dictionary<string, string[]>(outcome.Errors ?? new Dictionary<string, string[]>())),
            _ => NotFound(),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, IGrainFactory grains)
    {
        if (!FreightTemplate.IsValidId(id))
        {
            return NotFound();
        }

        var outcome = await Templates(grains).DeleteAsync(id);
        return outcome.Status switch
        {
            FreightTemplateOutcomeStatus.Ok => TypedResults.NoContent(),
            FreightTemplateOutcomeStatus.DefaultTemplate => ShopProblems.Conflict(ShippingErrorCodes.DefaultFreightTemplate,
                "The default template cannot be deleted: every product without a template uses it. Edit it instead."),
            FreightTemplateOutcomeStatus.InUse => ShopProblems.Conflict(ShippingErrorCodes.FreightTemplateInUse, outcome.Detail ?? "Products use this template."),
            _ => NotFound(),
        };
    }

    private static IFreightTemplatesGrain Templates(IGrainFactory grains) => grains.GetGrain<IFreightTemplatesGrain>(0);

    private static ProblemHttpResult NotFound() => ShopProblems.NotFound(ShippingErrorCodes.FreightTemplateNotFound, "No such freight template.");
}
