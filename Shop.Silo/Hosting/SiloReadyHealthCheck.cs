using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Silo.Hosting;

/// <summary>Ready once this silo is an active member of the cluster.</summary>
internal sealed class SiloReadyHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Silo status is {status}"));
    }
}
