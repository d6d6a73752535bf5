using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Shipping;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Shipping;
using Shop.Hosting;

namespace Shop.Api.Shipping;

/// <summary><c>/api/me/addresses</c>: the caller's address book (bounded, exactly one default, encrypted at rest).</summary>
public static class AddressBookEndpoints
{
    public static RouteGroupBuilder MapAddressBookEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/me/addresses").WithTags("Addresses").RequireShopPolicy(ShopPolicies.Customer);
        group.MapGet("/", ListAsync).WithName("ListAddresses").WithSummary("The caller's saved addresses, the default first.");
        group.MapPost("/", AddAsync).WithName("AddAddress")
            .WithSummary("Saves an address (checked against the national region table); the first one is the default.")
            .Validate<AddressRequest>(Check)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}", GetAsync).WithName("GetAddress").WithSummary("One saved address.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id}", ReplaceAsync).WithName("ReplaceAddress")
            .WithSummary("Replaces a saved address; isDefault true makes it the default.")
            .Validate<AddressRequest>(Check)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", RemoveAsync).WithName("RemoveAddress")
            .WithSummary("Removes a saved address; removing the default makes the newest remaining one the default.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Ok<AddressListResponse>> ListAsync(ClaimsPrincipal user, IClusterClient cluster, Microsoft.Extensions.Options.IOptions<ShippingApiOptions> options) =>
        TypedResults.Ok(new AddressListResponse([.. (await Book(user, cluster).ListAsync()).Select(a => a.ToResponse())], options.Value.MaxAddresses));

    public static async Task<Results<Created<AddressResponse>, ProblemHttpResult>> AddAsync([FromBody] AddressRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var id = SavedAddress.NewId();
        var outcome = await Book(user, cluster).AddAsync(id, ToAddress(request), request.IsDefault ?? false);
        return outcome switch
        {
            { Status: AddressBookOutcomeStatus.Ok, Address: { } added } => TypedResults.Created($"/api/me/addresses/{id}", added.ToResponse()),
            _ => ShopProblems.Conflict(ShippingErrorCodes.AddressBookFull,
                $"The address book holds at most {outcome.Limit} addresses: remove one first."),
        };
    }

    public static async Task<Results<Ok<AddressResponse>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        SavedAddress.IsValidId(id) && await Book(user, cluster).GetAsync(id) is { } saved
            ? TypedResults.Ok(saved.ToResponse())
            : DeliveryAddresses.AddressNotFound();

    public static async Task<Results<Ok<AddressResponse>, ProblemHttpResult>> ReplaceAsync(string id, [FromBody] AddressRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        SavedAddress.IsValidId(id) && await Book(user, cluster).ReplaceAsync(id, ToAddress(request), request.IsDefault ?? false) is { Status: AddressBookOutcomeStatus.Ok, Address: { } saved }
            ? TypedResults.Ok(saved.ToResponse())
            : DeliveryAddresses.AddressNotFound();

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string id, ClaimsPrincipal user, IClusterClient cluster) =>
        SavedAddress.IsValidId(id) && await Book(user, cluster).RemoveAsync(id) is { Status: AddressBookOutcomeStatus.Ok }
            ? TypedResults.NoContent()
            : DeliveryAddresses.AddressNotFound();

    private static void Check(AddressRequest r, ValidationErrors errors) =>
        DeliveryAddresses.Check(r.Name, r.Phone, r.Province, r.City, r.District, r.Detail, r.RegionCode, "", errors);

    private static ShippingAddress ToAddress(AddressRequest r) =>
        DeliveryAddresses.ToShippingAddress(r.Name!, r.Phone!, r.Province, r.City, r.District, r.Detail!, r.RegionCode);

    private static IAddressBookGrain Book(ClaimsPrincipal user, IClusterClient cluster) => cluster.GetGrain<IAddressBookGrain>(user.Subject());
}

/// <summary>The <c>Shipping:*</c> settings the API shows (the silo enforces them).</summary>
public sealed class ShippingApiOptions
{
    public int MaxAddresses { get; set; } = 20;
}
