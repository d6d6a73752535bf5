using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Shop.Hosting;

/// <summary>What the telemetry records: <c>Observability:TraceSampleRatio</c>, <c>Observability:DetailedOrleansMetrics</c>.</summary>
public sealed record ShopObservabilityOptions(double TraceSampleRatio, bool DetailedOrleansMetrics)
{
    public static ShopObservabilityOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Observability");
        var ratio = section.GetValue("TraceSampleRatio", 1.0);
        if (ratio is < 0 or > 1 || double.IsNaN(ratio))
        {
            throw new ShopConfigurationException($"Observability:TraceSampleRatio must be between 0 and 1 (got {ratio}).");
        }

        return new ShopObservabilityOptions(ratio, section.GetValue("DetailedOrleansMetrics", false));
    }
}

public static class ShopObservability
{
    /// <summary>Meters and activity sources of our own code; grains and endpoints publish under these names.</summary>
    public const string ShopSource = "Shop";

    /// <summary>
    /// Tracing across API → grain (Orleans propagates the activity when <c>AddActivityPropagation</c> is on),
    /// Prometheus metrics at <c>/metrics</c>, and JSON logs that carry trace and span ids.
    /// </summary>
    public static IHostApplicationBuilder AddShopObservability(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var otlpEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var options = ShopObservabilityOptions.FromConfiguration(builder.Configuration);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        if (!string.IsNullOrEmpty(otlpEndpoint))
        {
            telemetry.WithTracing(t => t
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(TracedSources)
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !IsInfrastructurePath(ctx.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        else
        {
            // Nothing would receive spans: recording them (tags, timings, processors) on every request and grain call
            // is pure cost. The trace context still flows (API → grain → log lines) for correlating logs.
            builder.Services.AddHostedService<TraceContextOnly>();
        }

        telemetry.WithMetrics(m =>
            {
                // Meters from another host's IMeterFactory in the same process (tests run silos and APIs side by
                // side) carry the same names: each host exports only its own, beside the process-wide Orleans meter.
                ((IDeferredMeterProviderBuilder)m).Configure((services, metrics) =>
                {
                    var own = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                    metrics.AddView(instrument =>
                        (!options.DetailedOrleansMetrics && IsCostlyOrleansInstrument(instrument))
                        || (instrument.Meter.Scope is System.Diagnostics.Metrics.IMeterFactory factory && !ReferenceEquals(factory, own))
                            ? MetricStreamConfiguration.Drop
                            : null);
                });
                m.AddMeter(ShopSource, "Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (!string.IsNullOrEmpty(otlpEndpoint))
                {
                    m.AddOtlpExporter();
                }
            });
        return builder;
    }

    public static WebApplication MapShopMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static readonly string[] TracedSources = [ShopSource, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// Orleans instruments updated on every message or grain call (sizes, dispatcher and gateway counts, per-call
    /// latency), and the two gauges that walk every activation or directory entry each time they are read (the Orleans
    /// Dashboard reads them every few seconds: at 100k activations that is tens of milliseconds each time): they cost
    /// more CPU on the order path than they tell an operator beyond the HTTP metrics, the per-type activation counts
    /// (<c>orleans-grains</c>) and the failure counters. <c>Observability:DetailedOrleansMetrics=true</c> keeps them.
    /// </summary>
    private static bool IsCostlyOrleansInstrument(System.Diagnostics.Metrics.Instrument instrument) =>
        instrument.Meter.Name == "Microsoft.Orleans" && instrument.Name is
            "orleans-messaging-sent-messages-size" or "orleans-messaging-sent-header-size" or "orleans-messaging-sent-local"
            or "orleans-messaging-received-messages-size" or "orleans-messaging-received-header-size"
            or "orleans-gateway-received" or "orleans-gateway-sent" or "orleans-app-requests-latency"
            or "orleans-messaging-processing-activation-data" or "orleans-catalog-activations" or "orleans-directory-cache-size"
            || instrument.Name.StartsWith("orleans-messaging-processing-dispatcher-", StringComparison.Ordinal)
            || instrument.Name.StartsWith("orleans-messaging-processing-ima-", StringComparison.Ordinal)
            || instrument.Name.StartsWith("orleans-directory-lookups-", StringComparison.Ordinal);

    /// <summary>
    /// Without an exporter: activities of our sources are created for their ids only (no tags, nothing recorded), so
    /// a grain's log lines carry the trace id of the HTTP request that called it.
    /// </summary>
    private sealed class TraceContextOnly : IHostedService, IDisposable
    {
        private readonly System.Diagnostics.ActivityListener _listener = new()
        {
            ShouldListenTo = source => TracedSources.Contains(source.Name),
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.PropagationData,
        };

        public Task StartAsync(CancellationToken cancellationToken)
        {
            System.Diagnostics.ActivitySource.AddActivityListener(_listener);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => _listener.Dispose();
    }

    private static bool IsInfrastructurePath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
