using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Shop.Client;

namespace Shop.Api.Errors;

/// <summary>
/// Turns exceptions into problem details: request-binding failures become the 4xx they are (naming the JSON field
/// when known), anything else a 500 that reveals nothing internal but is logged with the trace id it quotes.
/// </summary>
internal sealed class ShopExceptionHandler(IProblemDetailsService problems, ILogger<ShopExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        var problem = exception is BadHttpRequestException bad ? FromBadRequest(bad, context) : null;
        if (problem is null && UnavailableCode(exception) is { } code)
        {
            // The request may succeed on retry once a silo (or the database) answers again: say so, rather than a 500.
            logger.LogWarning(exception, "Unavailable ({Code}) on {Method} {Path} (traceId {TraceId})",
                code, context.Request.Method, context.Request.Path, ShopProblemDetails.TraceId(context));
            context.Response.Headers.RetryAfter = "5";
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "The service is temporarily unavailable. Retry shortly.",
                Extensions = { [ShopProblemDetails.CodeKey] = code },
            };
        }
        else if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path} (traceId {TraceId})",
                context.Request.Method, context.Request.Path, ShopProblemDetails.TraceId(context));
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred. Quote the traceId when reporting it.",
                Extensions = { [ShopProblemDetails.CodeKey] = ShopErrorCodes.InternalError },
            };
        }
        else
        {
            logger.LogInformation("Rejected {Method} {Path} with {Status}: {Reason}",
                context.Request.Method, context.Request.Path, problem.Status, exception.InnerException?.Message ?? exception.Message);
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    // A stock write that failed decided nothing (InventoryUnavailableException): the same request may be retried.
    // Orleans wraps a failed state read of an activating grain (OrleansException): the cause is inside.
    private static string? UnavailableCode(Exception exception) => exception switch
    {
        _ when Causes(exception).Any(e => e is Shop.Grains.Interfaces.Infrastructure.InfrastructureUnavailableException) => ShopErrorCodes.StorageUnavailable,
        SiloUnavailableException
            or OrleansMessageRejectionException
            or GatewayTooBusyException
            or Orleans.Runtime.Messaging.ConnectionFailedException
            or TimeoutException
            or Shop.Grains.Interfaces.Inventory.InventoryUnavailableException => ShopErrorCodes.ServiceUnavailable,
        _ => null,
    };

    private static IEnumerable<Exception> Causes(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception, HttpContext context)
    {
        if (exception.InnerException is JsonException json)
        {
            return FromJson(json);
        }

        var status = exception.StatusCode;
        return new ProblemDetails
        {
            Status = status,
            Detail = status switch
            {
                StatusCodes.Status413PayloadTooLarge => "The request body is larger than this API accepts.",
                StatusCodes.Status400BadRequest when MissingBody(context) => "A JSON request body is required.",
                // Binding messages name the parameter and what was wrong with it, never server internals.
                _ => exception.Message,
            },
            Extensions = { [ShopProblemDetails.CodeKey] = ShopErrorCodes.ForStatus(status) },
        };
    }

    /// <summary>The route binds a body (it declares what it accepts) and the request has none.</summary>
    private static bool MissingBody(HttpContext context) =>
        // The exception handler middleware has cleared the endpoint; its feature remembers which one failed.
        context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is not null
        && (context.Request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false);

    private static ProblemDetails FromJson(JsonException json)
    {
        // A reader (syntax) error wraps a JsonException of the reader; a value that parsed but does not fit the
        // field (wrong type, unknown enum name, null where not allowed) does not, and its path names the field.
        var field = FieldName(json.Path);
        if (json.InnerException is JsonException || field is null)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = json.LineNumber is { } line
                    ? $"The request body is not valid JSON (line {line + 1}, byte {json.BytePositionInLine + 1})."
                    : "The request body is not valid JSON.",
                Extensions = { [ShopProblemDetails.CodeKey] = ShopErrorCodes.MalformedRequest },
            };
        }

        return new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = ["The value is missing or has the wrong type or format."],
        })
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = "The request body has a field of the wrong type or format.",
            Extensions = { [ShopProblemDetails.CodeKey] = ShopErrorCodes.ValidationFailed },
        };
    }

    private static string? FieldName(string? path) =>
        path is null || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
