using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Hosting;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Orders;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Shop.Api.Orders;

/// <summary>
/// <c>POST /api/orders</c> with a required Idempotency-Key: one call creates the order and stores its
/// outcome under the user and key, and every repeat within 24 h gets exactly that answer; the same key with another
/// body is 422.
/// </summary>
public static class CreateOrderEndpoint
{
    public static async Task<IResult> CreateAsync(CreateOrderRequest request, HttpContext http, ClaimsPrincipal user,
        IClusterClient cluster, IOptions<HttpJsonOptions> json, ILoggerFactory loggers)
    {
        var key = http.Request.Headers[IdempotencyKeys.Header].ToString();
        if (!IdempotencyKeys.IsValidKey(key))
        {
            return ShopProblems.Validation(new ValidationErrors().Add(IdempotencyKeys.Header, "Required: 1 to 64 visible ASCII characters (e.g. a UUID)."));
        }

        var options = json.Value.SerializerOptions;
        var userId = user.Subject();
        // An inline address costs nothing here; a saved one (addressId) one address-book call.
        if (await Shipping.DeliveryAddresses.ResolveAsync(request.ShippingAddress, request.AddressId, userId, cluster) is not { } shipping)
        {
            return Shipping.DeliveryAddresses.UnknownAddress();
        }

        var hash = IdempotencyKeys.RequestHash(JsonSerializer.SerializeToUtf8Bytes(request, options));
        var created = await cluster.GetGrain<IOrderCreationGrain>(0).CreateOrderAsync(
            IdempotencyKeys.GrainKey(userId, key), hash, request.ToCommand(userId, shipping), ShopProblemDetails.TraceId(http));
        if (created.Outcome == IdempotencyOutcome.KeyReused)
        {
            http.RequestServices.GetRequiredService<ShopApiMetrics>().OrderRejected("idempotency_key_reused");
        }

        loggers.CreateLogger("Shop.Api.Orders.CreateOrderEndpoint").LogDebug("Order {OrderNo} create answered {Status}", created.OrderNo, created.Answer?.Outcome?.Status);
        return ToHttpResult(created, options);
    }

    /// <summary>The HTTP answer to an order created under an Idempotency-Key (also cart checkout's): 201, 409, or 422 on reuse.</summary>
    public static IResult ToHttpResult(IdempotentOrder created, JsonSerializerOptions options) =>
        created is { Outcome: IdempotencyOutcome.Answered, Answer: { } answer }
            ? Raw(Format(answer, options))
            : ShopProblems.Problem(StatusCodes.Status422UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused,
                "This Idempotency-Key was already used with a different request.");

    /// <summary>
    /// The first answer and every replay are formatted here from the same stored outcome and trace id, so a repeat gets
    /// the same bytes; keys answered before outcomes were stored replay the response stored then.
    /// </summary>
    private static IdempotentResponse Format(IdempotentAnswer answer, JsonSerializerOptions options) => answer switch
    {
        { Response: { } legacy } => legacy,
        { Outcome: { Status: OrderOutcomeStatus.Ok, Order: { } order } } =>
            new IdempotentResponse(StatusCodes.Status201Created, JsonSerializer.Serialize(order.ToResponse(), options)),
        { Outcome: { } refused } =>
            new IdempotentResponse(StatusCodes.Status409Conflict, ProblemBody(OrderMapping.Problem(refused).ProblemDetails, answer.TraceId, options)),
        _ => throw new InvalidOperationException("An idempotent answer holds neither an outcome nor a response."),
    };

    private static IResult Raw(IdempotentResponse response) => Results.Content(
        response.Body,
        response.StatusCode < 400 ? "application/json" : ShopApiProblem.MediaType,
        Encoding.UTF8,
        response.StatusCode);

    private static string ProblemBody(Microsoft.AspNetCore.Mvc.ProblemDetails problem, string? traceId, JsonSerializerOptions options)
    {
        var defaults = TypedResults.Problem(statusCode: problem.Status).ProblemDetails;
        problem.Type ??= defaults.Type;
        problem.Title ??= defaults.Title;
        problem.Extensions[ShopProblemDetails.TraceIdKey] = traceId;
        return JsonSerializer.Serialize(problem, options);
    }
}
