using System.Text.Json;
using Orleans.Hosting.Kubernetes;
using Shop.Hosting;

namespace Shop.Tests.Deploy;

/// <summary>What a deployment may set: the project's configuration keys, read from the code's own list and appsettings.</summary>
public static class DeployConfiguration
{
    /// <summary>Read from the environment by Orleans' Kubernetes hosting and the .NET host, not through IConfiguration keys of ours.</summary>
    public static readonly IReadOnlySet<string> EnvironmentOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        KubernetesHostingOptions.PodNameEnvironmentVariable,
        KubernetesHostingOptions.PodNamespaceEnvironmentVariable,
        KubernetesHostingOptions.PodIPEnvironmentVariable,
        KubernetesHostingOptions.ClusterIdEnvironmentVariable,
        KubernetesHostingOptions.ServiceIdEnvironmentVariable,
        "ASPNETCORE_ENVIRONMENT",
        "DOTNET_ENVIRONMENT",
    };

    private static readonly Lazy<HashSet<string>> AppSettingsKeys = new(() =>
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var host in new[] { "Shop.Silo", "Shop.Api", "Shop.WeChatPay.Simulator" })
        {
            foreach (var file in Directory.GetFiles(Repository.PathOf(host), "appsettings*.json"))
            {
                using var json = JsonDocument.Parse(File.ReadAllText(file));
                Flatten(json.RootElement, "", keys);
            }
        }

        return keys;
    });

    /// <summary>True when an environment variable of that name reaches a setting the code reads.</summary>
    public static bool IsKnownVariable(string name) =>
        EnvironmentOnly.Contains(name)
        || ShopConfigurationKeys.IsKnown(name)
        || AppSettingsKeys.Value.Contains(name.Replace("__", ":", StringComparison.Ordinal));

    /// <summary>The port of an http://host:port URL in a <c>Urls</c> setting.</summary>
    public static int UrlPort(string urls) => new Uri(urls.Split(';')[0].Replace("+", "0.0.0.0", StringComparison.Ordinal).Replace("*", "0.0.0.0", StringComparison.Ordinal)).Port;

    /// <summary>The silo's Orleans ports when nothing sets them: what the hosting code falls back to.</summary>
    public static ShopClusterOptions DefaultCluster { get; } =
        ShopClusterOptions.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());

    private static void Flatten(JsonElement element, string prefix, HashSet<string> keys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            keys.Add(prefix);
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            Flatten(property.Value, prefix.Length == 0 ? property.Name : prefix + ":" + property.Name, keys);
        }
    }
}
