using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Shop.Api.Errors;

namespace Shop.Api.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (every route, its request/response types and problems, and the
/// bearer scheme on routes that need a token) and, in Development, the Scalar UI at <c>/scalar</c>.
/// </summary>
public static class ApiOpenApi
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddShopOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Shop API";
                document.Info.Description = "Errors are RFC 7807 problem details with a stable `code` and a `traceId`.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "HS256 JWT with sub and role (customer or admin) claims.",
                };
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                // Every problem body carries these two extensions; document them so clients can rely on them.
                if (typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
                {
                    schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                    schema.Properties[ShopProblemDetails.CodeKey] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "Stable machine-readable error code, e.g. VALIDATION_FAILED, NOT_FOUND, RATE_LIMITED.",
                    };
                    schema.Properties[ShopProblemDetails.TraceIdKey] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "Trace id of the request in the server logs; quote it when reporting a problem.",
                    };
                    schema.Required ??= new HashSet<string>();
                    schema.Required.Add(ShopProblemDetails.CodeKey);
                    schema.Required.Add(ShopProblemDetails.TraceIdKey);
                }

                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });

    public static WebApplication MapShopOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(o => o.WithTitle("Shop API")).AllowAnonymous();
        }

        return app;
    }
}
