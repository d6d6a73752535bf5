using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;

namespace Shop.Api.Orders;

/// <summary><c>GET /api/admin/events</c>: the order event log, for operators and for systems catching up without Kafka.</summary>
public static class OrderEventEndpoints
{
    public static RouteGroupBuilder MapOrderEventEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/admin/events").WithTags("Orders").RequireShopPolicy(ShopPolicies.Admin)
            .MapGet("/", GetEventsAsync).WithName("GetOrderEvents")
            .WithSummary("Order events after a position, oldest first.")
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Results<Ok<OrderEventPageResponse>, ValidationProblem>> GetEventsAsync(
        long? after, int? limit, IClusterClient cluster, CancellationToken cancellationToken)
    {
        var position = after ?? 0;
        var size = limit ?? OrderEventPageResponse.DefaultLimit;
        var errors = new ValidationErrors()
            .Check(position >= 0, "after", "Must be 0 or a seq returned as next.")
            .Check(size is >= 1 and <= OrderEventPageResponse.MaxLimit, "limit", $"Must be between 1 and {OrderEventPageResponse.MaxLimit}.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var page = await cluster.GetGrain<IOrderEventQueryGrain>(0).ReadAsync(position, size).WaitAsync(cancellationToken);
        return TypedResults.Ok(new OrderEventPageResponse(
            [.. page.Events.Select(e => new OrderEventResponse(e.Seq, e.EventId, e.OrderNo, e.Type, e.OccurredAt, Parse(e.Payload)))],
            page.Next));
    }

    private static JsonElement Parse(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }
}
