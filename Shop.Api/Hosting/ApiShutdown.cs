using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.Hosting;

namespace Shop.Api.Hosting;

/// <summary>
/// How the API stops behind a load balancer (<c>Api:DrainDelay</c>, <c>Api:ShutdownTimeout</c>): on SIGTERM readiness
/// fails at once while the API keeps serving for the drain delay (the balancer needs a probe period or two to stop
/// routing here, and a request it still sends must not meet a closed port); then Kestrel stops accepting and in-flight
/// requests get the shutdown timeout to finish.
/// </summary>
public sealed record ApiShutdownOptions(TimeSpan DrainDelay, TimeSpan ShutdownTimeout)
{
    public static readonly TimeSpan DefaultDrainDelay = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    public static ApiShutdownOptions FromConfiguration(IConfiguration configuration, IHostEnvironment environment) => new(
        // Nothing balances a developer's API: Ctrl-C should not wait.
        Duration(configuration, "Api:DrainDelay", environment.IsDevelopment() ? TimeSpan.Zero : DefaultDrainDelay),
        Duration(configuration, "Api:ShutdownTimeout", DefaultShutdownTimeout));

    private static TimeSpan Duration(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var raw = configuration[key];
        if (raw is null)
        {
            return fallback;
        }

        return TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(10)
            ? value
            : throw new ShopConfigurationException($"{key} '{raw}' must be a duration from 00:00:00 to 00:10:00.");
    }
}

/// <summary>
/// Runs the drain: the first thing the host does when told to stop (<see cref="IHostedLifecycleService.StoppingAsync"/>
/// runs before any hosted service, Kestrel included, stops), and the readiness check that reports it.
/// </summary>
internal sealed partial class ApiDrain(ApiShutdownOptions options, TimeProvider clock, ILogger<ApiDrain> logger)
    : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _draining;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_draining ? HealthCheckResult.Unhealthy("Stopping: draining connections") : HealthCheckResult.Healthy());

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        LogDraining(options.DrainDelay, options.ShutdownTimeout);
        if (options.DrainDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(options.DrainDelay, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's own deadline passed (it includes the drain): stop now.
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: readiness reports unhealthy; serving for {DrainDelay} more, then in-flight requests get {ShutdownTimeout}")]
    private partial void LogDraining(TimeSpan drainDelay, TimeSpan shutdownTimeout);
}

public static class ApiShutdownExtensions
{
    /// <summary>The drain on SIGTERM, its readiness check, and the host's stop deadline (drain + shutdown timeout).</summary>
    public static WebApplicationBuilder AddShopApiShutdown(this WebApplicationBuilder builder, IHealthChecksBuilder health)
    {
        var options = ApiShutdownOptions.FromConfiguration(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ApiDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApiDrain>());
        health.Add(new HealthCheckRegistration("draining", sp => sp.GetRequiredService<ApiDrain>(), HealthStatus.Unhealthy, [ShopHealth.ReadyTag]));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainDelay + options.ShutdownTimeout);
        return builder;
    }
}
