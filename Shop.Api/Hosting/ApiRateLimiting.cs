using System.Globalization;
using System.Threading.RateLimiting;
using Shop.Api.Errors;
using Shop.Client;

namespace Shop.Api.Hosting;

/// <summary>
/// One limiter for every route (so no feature can forget it): reads (GET/HEAD/OPTIONS) and writes have separate
/// budgets, each per caller: the token's <c>sub</c>, or the client IP when anonymous. Routes marked
/// <c>DisableRateLimiting</c> (health, the WeChat Pay notify_url) are exempt.
/// </summary>
public static class ApiRateLimiting
{
    public static IServiceCollection AddShopRateLimiting(this IServiceCollection services, ApiLimits limits)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var isRead = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    || HttpMethods.IsOptions(context.Request.Method);
                var budget = isRead ? limits.Reads : limits.Writes;
                var key = (isRead ? "read:" : "write:") + Caller(context);
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = budget.PermitLimit,
                    Window = TimeSpan.FromSeconds(budget.WindowSeconds),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = (rejected, cancellationToken) => WriteRejectionAsync(rejected.HttpContext, rejected.Lease);
        });
        return services;
    }

    private static string Caller(HttpContext context) =>
        context.User.FindFirst("sub")?.Value is { } sub
            ? "user:" + sub
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async ValueTask WriteRejectionAsync(HttpContext context, RateLimitLease lease)
    {
        var detail = "Too many requests; slow down.";
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            detail = $"Too many requests; retry after {seconds} s.";
        }

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = detail,
                Extensions = { [ShopProblemDetails.CodeKey] = ShopErrorCodes.RateLimited },
            },
        });
    }
}
