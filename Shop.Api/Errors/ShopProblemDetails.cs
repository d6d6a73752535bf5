using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Shop.Client;

namespace Shop.Api.Errors;

/// <summary>
/// Makes every error response RFC 7807 problem details with a stable <c>code</c> and the <c>traceId</c> that the
/// logs carry: results returned by endpoints, exceptions, and bare status codes (401/403 from auth, 404, 405, ...).
/// </summary>
public static class ShopProblemDetails
{
    public const string CodeKey = "code";
    public const string TraceIdKey = "traceId";

    public static IServiceCollection AddShopProblemDetails(this IServiceCollection services)
    {
        // Registered before AddProblemDetails so it is chosen over the default writer, which declines to write
        // when the Accept header does not mention JSON and would let an error go out as plain text.
        services.AddSingleton<IProblemDetailsWriter, AlwaysJsonProblemDetailsWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Enrich);
        services.AddExceptionHandler<ShopExceptionHandler>();
        // Binding failures (bad JSON, wrong content type, unparsable route values) throw, so that the exception
        // handler can say what was wrong instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseShopProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Any 4xx/5xx that leaves the pipeline without a body (auth challenge/forbid, no route, body too large
        // found while binding) gets a problem body.
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            return problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = http.Response.StatusCode, Detail = DetailFor(http.Response.StatusCode) },
            }).AsTask();
        });
        return app;
    }

    /// <summary>The trace id that log lines of this request carry (W3C trace id), for support to correlate.</summary>
    public static string TraceId(HttpContext context) =>
        Activity.Current is { } activity ? activity.TraceId.ToHexString() : context.TraceIdentifier;

    private static void Enrich(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        if (problem.Type is null || problem.Title is null)
        {
            var defaults = TypedResults.Problem(statusCode: status).ProblemDetails;
            problem.Type ??= defaults.Type;
            problem.Title ??= defaults.Title;
        }

        if (!problem.Extensions.ContainsKey(CodeKey))
        {
            problem.Extensions[CodeKey] = problem is HttpValidationProblemDetails && status == StatusCodes.Status400BadRequest
                ? ShopErrorCodes.ValidationFailed
                : ShopErrorCodes.ForStatus(status);
        }

        problem.Extensions[TraceIdKey] = TraceId(context.HttpContext);
    }

    private static string? DetailFor(int status) => status switch
    {
        401 => "A valid bearer token is required.",
        403 => "The bearer token does not grant access to this resource.",
        404 => "No resource exists at this address.",
        405 => "This resource does not support the request method.",
        413 => "The request body is larger than this API accepts.",
        415 => "The request body must be JSON (Content-Type: application/json).",
        _ => null,
    };

    private sealed class AlwaysJsonProblemDetailsWriter(
        IOptions<ProblemDetailsOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context)
        {
            options.Value.CustomizeProblemDetails?.Invoke(context);
            var problem = context.ProblemDetails;
            return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
                problem, problem.GetType(), json.Value.SerializerOptions, ShopApiProblem.MediaType, context.HttpContext.RequestAborted));
        }
    }
}
