using Shop.Hosting;

namespace Shop.Api.Hosting;

/// <summary>A fixed-window budget: <c>PermitLimit</c> requests per <c>WindowSeconds</c>.</summary>
public sealed record RateLimitBudget(int PermitLimit, int WindowSeconds)
{
    public static RateLimitBudget FromConfiguration(IConfiguration configuration, string name, RateLimitBudget fallback)
    {
        var section = configuration.GetSection($"RateLimiting:{name}");
        var budget = new RateLimitBudget(
            Positive(section, name, "PermitLimit", fallback.PermitLimit),
            Positive(section, name, "WindowSeconds", fallback.WindowSeconds));
        return budget;
    }

    private static int Positive(IConfiguration section, string name, string key, int fallback)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }

        return int.TryParse(raw, out var value) && value > 0
            ? value
            : throw new ShopConfigurationException($"RateLimiting:{name}:{key} '{raw}' must be a positive whole number.");
    }
}

/// <summary>Request limits of the API (<c>Api:*</c>, <c>RateLimiting:*</c>), read once at startup.</summary>
public sealed record ApiLimits(long MaxRequestBodyBytes, TimeSpan RequestHeadersTimeout, RateLimitBudget Reads, RateLimitBudget Writes)
{
    public const long MaxRequestHeadersTotalBytes = 8 * 1024;
    public const long DefaultMaxRequestBodyBytes = 64 * 1024;

    public static ApiLimits FromConfiguration(IConfiguration configuration)
    {
        var body = configuration.GetValue("Api:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes);
        if (body <= 0)
        {
            throw new ShopConfigurationException($"Api:MaxRequestBodyBytes '{body}' must be positive.");
        }

        var headersTimeout = configuration.GetValue("Api:RequestHeadersTimeoutSeconds", 10);
        if (headersTimeout <= 0)
        {
            throw new ShopConfigurationException($"Api:RequestHeadersTimeoutSeconds '{headersTimeout}' must be positive.");
        }

        return new ApiLimits(
            body,
            TimeSpan.FromSeconds(headersTimeout),
            RateLimitBudget.FromConfiguration(configuration, "Reads", new RateLimitBudget(600, 60)),
            RateLimitBudget.FromConfiguration(configuration, "Writes", new RateLimitBudget(120, 60)));
    }

    /// <summary>Kestrel rejects oversized headers (431), slow headers (408) and oversized bodies (413).</summary>
    public void ApplyTo(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestHeadersTotalSize = (int)MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = RequestHeadersTimeout;
        });
}
