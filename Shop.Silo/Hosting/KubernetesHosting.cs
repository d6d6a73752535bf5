using Orleans.Hosting.Kubernetes;

namespace Shop.Silo.Hosting;

/// <summary>
/// Orleans' Kubernetes hosting, on when the pod says so: the downward API gives the silo its pod name, namespace and
/// IP (deploy/k8s/base/silo-deployment.yaml), and then the silo advertises its pod IP, takes the pod's name, reads the
/// cluster and service ids from the pod's <c>orleans/clusterId</c> and <c>orleans/serviceId</c> labels, and one silo
/// watches the pods: a deleted pod's silo is declared dead at once instead of after missed probes (RBAC: the
/// shop-silo Role). Off outside Kubernetes and in the embedded mode (there is no shared membership table).
/// </summary>
public static class KubernetesHosting
{
    public static bool IsEnabled(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[KubernetesHostingOptions.PodNameEnvironmentVariable])
        && !string.IsNullOrEmpty(configuration[KubernetesHostingOptions.PodNamespaceEnvironmentVariable])
        && !string.IsNullOrEmpty(configuration[KubernetesHostingOptions.PodIPEnvironmentVariable])
        && !string.IsNullOrEmpty(configuration.GetConnectionString(Shop.Hosting.ShopDatabase.ConnectionStringName));

    public static ISiloBuilder UseShopKubernetesHosting(this ISiloBuilder silo, IConfiguration configuration) =>
        IsEnabled(configuration) ? silo.UseKubernetesHosting() : silo;
}
