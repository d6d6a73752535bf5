using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Shop.Api.Errors;

namespace Shop.Api.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (every route, its request/response types and problems, and the
/// bearer scheme on routes that need a token) and, in Development, the Scalar UI at <c>/scalar</c>. What the pipeline
/// answers on every route is added from endpoint metadata by <see cref="ApiOpenApiOperations"/>. Shop.Tests lints the
/// document with Redocly (<c>redocly.yaml</c> at the repository root) and sends every JSON operation bad bodies.
/// </summary>
public static class ApiOpenApi
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "Bearer";

    /// <summary>What each tag (<c>WithTags</c>) groups; a tag missing here fails the OpenAPI lint test (tag-description).</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Identity"] = "Signing in (WeChat mini-program login) and who the API thinks the caller is.",
        ["Admin"] = "Operator routes (admin role).",
        ["Development"] = "Development hosts only: minting tokens for local testing.",
        ["Admin: stock"] = "A product's stock levels, live reservations and adjustments (admin role).",
        ["Admin: products"] = "Merchant product management (admin role); responses carry the version as an ETag for If-Match.",
        ["Admin: categories"] = "Merchant edits of the category tree (admin role).",
        ["Products"] = "The storefront catalog: on-shelf products (anonymous).",
        ["Categories"] = "The storefront category tree (anonymous).",
        ["Orders"] = "Customers' orders, admin order handling, the order event log and refunds.",
        ["Cart"] = "The caller's cart: lines by SKU with current prices and stock, checked out into an order (customer role).",
        ["Campaigns"] = "Flash-sale campaigns: SKUs at a campaign price from an allotment, in a UTC window, with a per-customer limit (admin role).",
        ["After-sales"] = "售后: customers ask for a refund only or a return and refund of order lines; admins review, receive returns and refund.",
        ["Payments"] = "WeChat Pay: JSAPI payment parameters for the mini program, and WeChat Pay's own notify_url.",
        ["Personal data"] = "A customer's export of everything Shop holds about them and erasure of their personal data (by the customer or an admin on their behalf), and the log of operators' reads of personal data.",
        ["Admin: reconciliation"] = "Daily reconciliation against WeChat Pay's trade and fund-flow bills, and the queue of differences (admin role).",
        ["Admin: shipping"] = "Freight templates (运费模板): shipping fees by piece or weight per region group, regions not delivered to, free-shipping thresholds (admin role).",
        ["Addresses"] = "The caller's address book: saved addresses checked against the national region table, one default (customer role).",
        ["Shipping"] = "Quotes: goods amount, shipping fee per freight template and total before ordering (customer role).",
    };

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

                // Servers come from the request's base address ("http://host/"); path keys already start with "/".
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";
                }

                foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
                {
                    tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
                }

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
            o.AddOperationTransformer<ApiOpenApiOperations>();
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
