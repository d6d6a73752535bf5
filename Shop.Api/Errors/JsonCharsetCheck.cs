using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Shop.Client;

namespace Shop.Api.Errors;

/// <summary>
/// Answers 415 when a route that binds a body is sent one in a charset .NET cannot decode. Body binding would
/// otherwise throw a bare InvalidOperationException (a 500 and an Error log on every such request) instead of the
/// BadHttpRequestException its other content-type checks throw, so the check runs before the endpoint, for every route.
/// </summary>
public static class JsonCharsetCheck
{
    /// <summary>After authentication and authorization, so a bad charset is judged where a wrong media type is.</summary>
    public static WebApplication UseJsonCharsetCheck(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is null || !HasUnknownCharset(context.Request))
            {
                await next(context);
                return;
            }

            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JsonCharsetCheck))
                .LogInformation("Rejected {Method} {Path} with 415: unknown request charset", context.Request.Method, context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Detail = "The request body's charset is not one this API can read. Send UTF-8 (Content-Type: application/json).",
                    Extensions = { [ShopProblemDetails.CodeKey] = ShopErrorCodes.UnsupportedMediaType },
                },
            });
        });
        return app;
    }

    /// <summary>
    /// The same test the framework's JSON reader makes (the charset parameter through Encoding.GetEncoding), so what
    /// passes here is what it can read. A header that does not parse at all is left to the framework's own 415.
    /// </summary>
    private static bool HasUnknownCharset(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.Charset.HasValue
            || mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            Encoding.GetEncoding(mediaType.Charset.ToString());
            return false;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return true;
        }
    }
}
