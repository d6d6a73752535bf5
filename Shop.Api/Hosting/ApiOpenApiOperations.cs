using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Shop.Api.Endpoints;
using Shop.Client;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Api.Hosting;

/// <summary>
/// Completes every operation from its endpoint metadata, so a new route is documented like the others without
/// per-route declarations: who may call it, the problems the pipeline answers before (or around) any handler, and
/// the Idempotency-Key header of routes marked with <see cref="IdempotencyKeyHeader"/>.
/// </summary>
internal sealed class ApiOpenApiOperations : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        await DeclareSecurityAsync(operation, context, metadata);

        if (metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            // Exempt from the global limiter (ApiRateLimiting): it never answers 429.
            operation.Responses?.Remove("429");
        }
        else
        {
            await AddProblemAsync(operation, context, StatusCodes.Status429TooManyRequests,
                "Over the caller's read or write budget (RATE_LIMITED); Retry-After says when to try again.");
        }

        // The generator keeps one declaration per status (the last); a route that answers a status both in its own shape
        // and as a problem (the notify_url's FAIL body, or 503 when payments are off) declares both and gets both.
        foreach (var status in metadata.OfType<IProducesResponseTypeMetadata>()
                     .Where(p => p.Type is { } type && typeof(ProblemDetails).IsAssignableFrom(type)).Select(p => p.StatusCode))
        {
            await AddProblemAsync(operation, context, status, ReasonPhrases.GetReasonPhrase(status));
        }

        // The exception handler turns anything unhandled into this, on every route.
        await AddProblemAsync(operation, context, StatusCodes.Status500InternalServerError, "Unexpected error (INTERNAL_ERROR); quote the traceId.");

        if (metadata.OfType<IAcceptsMetadata>().Any(a => a.ContentTypes.Any(IsJson)))
        {
            // Answered by body binding and Kestrel's limit before any handler runs (ShopExceptionHandler, ShopProblemDetails).
            await AddProblemAsync(operation, context, StatusCodes.Status400BadRequest,
                "The body is not valid JSON for this operation (MALFORMED_REQUEST) or a field is invalid (VALIDATION_FAILED).");
            await AddProblemAsync(operation, context, StatusCodes.Status413PayloadTooLarge,
                "The body is larger than the API accepts (PAYLOAD_TOO_LARGE; Api:MaxRequestBodyBytes, 64 KiB by default).");
            await AddProblemAsync(operation, context, StatusCodes.Status415UnsupportedMediaType,
                "The body is not sent as JSON: Content-Type missing, not application/json, or with an unknown charset (UNSUPPORTED_MEDIA_TYPE).");
        }

        if (metadata.OfType<IdempotencyKeyHeader>().Any())
        {
            DeclareIdempotencyKey(operation);
        }
    }

    /// <summary>
    /// Bearer with the roles the route's policies allow (OpenAPI 3.1 lets non-OAuth requirements list role names), or
    /// an explicit empty requirement on anonymous routes so that "no security" is stated rather than forgotten.
    /// </summary>
    private static async Task DeclareSecurityAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata)
    {
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
            return;
        }

        var policies = context.ApplicationServices.GetRequiredService<IAuthorizationPolicyProvider>();
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var data in authorize)
        {
            roles.UnionWith(data.Roles?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []);
            if (data.Policy is { } name && await policies.GetPolicyAsync(name) is { } policy)
            {
                // The Shop policies each hold one roles requirement, so its allowed roles are exactly who may call.
                roles.UnionWith(policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles));
            }
        }

        operation.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiOpenApi.BearerScheme, context.Document)] = [.. roles] },
        ];
    }

    /// <summary>Declares the header whether or not the handler binds it (some read it from the request themselves).</summary>
    private static void DeclareIdempotencyKey(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        var existing = operation.Parameters.FirstOrDefault(p =>
            p.In == ParameterLocation.Header && string.Equals(p.Name, IdempotencyKeys.Header, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            operation.Parameters.Remove(existing);
        }

        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyKeys.Header,
            In = ParameterLocation.Header,
            Required = true,
            Description = $"1 to {IdempotencyKeys.MaxKeyLength} visible ASCII characters (e.g. a UUID), chosen by the client per " +
                          "logical request: a repeat with the same key and body within 24 h gets the first answer and changes nothing; " +
                          "the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.",
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = 1,
                MaxLength = IdempotencyKeys.MaxKeyLength,
                Pattern = $"^[!-~]{{1,{IdempotencyKeys.MaxKeyLength}}}$",
            },
        });
    }

    /// <summary>
    /// Adds a problem-details body to the status (creating the response when the route declared none): a status the
    /// handler answers in another shape (e.g. WeChat Pay's FAIL) keeps that shape and gains the problem alternative.
    /// </summary>
    private static async Task AddProblemAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description)
    {
        operation.Responses ??= [];
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(key, out var response))
        {
            response = new OpenApiResponse { Description = description };
            operation.Responses[key] = response;
        }

        if (response is not OpenApiResponse concrete)
        {
            return;
        }

        concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
        if (!concrete.Content.ContainsKey(ShopApiProblem.MediaType))
        {
            concrete.Content[ShopApiProblem.MediaType] = new OpenApiMediaType { Schema = await ProblemSchemaAsync(context) };
        }
    }

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without a document.");
        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails));
        // Registered once (a no-op when a route's ProducesProblem already did), then referenced like the framework does.
        document.AddComponent(nameof(ProblemDetails), schema);
        return new OpenApiSchemaReference(nameof(ProblemDetails), document);
    }

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase);
}
