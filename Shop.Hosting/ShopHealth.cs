using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Shop.Hosting;

public static class ShopHealth
{
    public const string ReadyTag = "ready";

    public const string LivePath = "/health/live";

    public const string ReadyPath = "/health/ready";

    /// <summary>Registers the readiness check for PostgreSQL when persistence is configured.</summary>
    public static IHealthChecksBuilder AddShopHealthChecks(this IServiceCollection services, ShopDatabase? database)
    {
        var checks = services.AddHealthChecks();
        if (database is not null)
        {
            checks.AddCheck("postgresql", new PostgresHealthCheck(database), HealthStatus.Unhealthy, [ReadyTag]);
        }

        return checks;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: every ready-tagged check passes.</summary>
    public static WebApplication MapShopHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .DisableRateLimiting().AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .DisableRateLimiting().AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });
    }

    private sealed class PostgresHealthCheck(ShopDatabase database) : IHealthCheck
    {
        private readonly string _connectionString =
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { Timeout = 3 }.ConnectionString;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL unreachable: {ex.Message}");
            }
        }
    }
}
