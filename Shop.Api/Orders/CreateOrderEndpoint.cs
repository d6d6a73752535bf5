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
/// <c>POST /api/orders</c> with a required Idempotency-Key: the answer (status and body) is stored under the user and
/// key, and every repeat within 24 h gets exactly that answer; the same key with another body is 422.
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
        var hash = IdempotencyKeys.RequestHash(JsonSerializer.SerializeToUtf8Bytes(request, options));
        var idempotency = cluster.GetGrain<IIdempotencyGrain>(IdempotencyKeys.GrainKey(userId, key));
        var (decision, outcome) = await idempotency.CreateOrderAsync(hash, request.ToCommand(userId));
        switch (decision.Outcome)
        {
            case IdempotencyOutcome.KeyReused:
                http.RequestServices.GetRequiredService<ShopApiMetrics>().OrderRejected("idempotency_key_reused");
                return ShopProblems.Problem(StatusCodes.Status422UnprocessableEntity, ShopErrorCodes.IdempotencyKeyReused,
                    "This Idempotency-Key was already used with a different request.");
            case IdempotencyOutcome.Replay:
                return Raw(decision.Response!);
        }

        outcome = outcome ?? throw new InvalidOperationException("The idempotency grain proceeded without creating the order.");
        http.RequestServices.GetRequiredService<ShopApiMetrics>().OrderAnswered(outcome);
        var response = outcome is { Status: OrderOutcomeStatus.Ok, Order: { } order }
            ? new IdempotentResponse(StatusCodes.Status201Created, JsonSerializer.Serialize(order.ToResponse(), options))
            : new IdempotentResponse(StatusCodes.Status409Conflict, ProblemBody(OrderMapping.Problem(outcome).ProblemDetails, http, options));
        loggers.CreateLogger("Shop.Api.Orders.CreateOrderEndpoint").LogDebug("Order {OrderNo} create answered {Status}", decision.OrderNo, response.StatusCode);
        return Raw(await idempotency.CompleteAsync(hash, response));
    }

    private static IResult Raw(IdempotentResponse response) => Results.Content(
        response.Body,
        response.StatusCode < 400 ? "application/json" : ShopApiProblem.MediaType,
        Encoding.UTF8,
        response.StatusCode);

    private static string ProblemBody(Microsoft.AspNetCore.Mvc.ProblemDetails problem, HttpContext http, JsonSerializerOptions options)
    {
        var defaults = TypedResults.Problem(statusCode: problem.Status).ProblemDetails;
        problem.Type ??= defaults.Type;
        problem.Title ??= defaults.Title;
        problem.Extensions[ShopProblemDetails.TraceIdKey] = ShopProblemDetails.TraceId(http);
        return JsonSerializer.Serialize(problem, options);
    }
}
