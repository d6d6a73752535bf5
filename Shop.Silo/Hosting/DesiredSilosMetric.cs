using System.Diagnostics.Metrics;
using Shop.Hosting;

namespace Shop.Silo.Hosting;

/// <summary>
/// <c>shop_cluster_silos_desired</c>: how many silos this deployment should run (<c>Orleans:DesiredSilos</c>, the
/// silo Deployment's replicas; 0 when not set). The alert compares the ring size every silo reports with it, so the
/// number lives in the deployment's configuration, not in the alert rules.
/// </summary>
internal sealed class DesiredSilosMetric : IHostedService
{
    public DesiredSilosMetric(IConfiguration configuration, IMeterFactory meters)
    {
        var raw = configuration["Orleans:DesiredSilos"];
        var desired = raw is null ? 0 : int.TryParse(raw, out var n) && n is >= 0 and <= 1000
            ? n
            : throw new ShopConfigurationException($"Orleans:DesiredSilos '{raw}' must be a whole number from 0 to 1000.");
        meters.Create(ShopObservability.ShopSource).CreateObservableGauge("shop.cluster.silos.desired", () => desired, "{silo}",
            "Silos this deployment should run (Orleans:DesiredSilos; 0: not set, the silo-count alert stays quiet).");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
