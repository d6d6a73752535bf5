using k8s;
using Microsoft.Extensions.Configuration;
using k8s.Models;
using Shop.Hosting;
using YamlDotNet.RepresentationModel;

namespace Shop.Tests.Deploy;

/// <summary>
/// No Kubernetes cluster runs here: deploy/k8s is checked against the typed Kubernetes models (strict: an unknown or
/// misspelt field fails) and against the code (configuration keys, health routes, ports, shutdown timeout).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] Folders = [Repository.PathOf("deploy", "k8s", "base"), Repository.PathOf("deploy", "k8s", "overlays", "example")];

    private static readonly Lazy<List<object>> Objects = new(() => [.. Manifests().SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f), strict: true))]);

    [Fact]
    public void Every_manifest_loads_with_the_typed_models_and_an_unknown_field_would_fail()
    {
        Assert.All(Manifests(), file => Assert.NotEmpty(KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true)));
        Assert.DoesNotContain(Objects.Value, o => o is null);

        var misspelt = File.ReadAllText(Repository.PathOf("deploy", "k8s", "base", "api-deployment.yaml"))
            .Replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecond:", StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(misspelt, strict: true));
    }

    [Fact]
    public void Each_kustomization_lists_every_manifest_of_its_folder_and_nothing_missing()
    {
        foreach (var folder in Folders)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(Path.Combine(folder, "kustomization.yaml"))));
            var listed = ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["resources"]).Children.Select(n => n.ToString()).ToList();
            var files = Directory.GetFiles(folder, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order();

            Assert.Equal(files, listed.Where(r => !r.StartsWith("..", StringComparison.Ordinal)).Order());
            Assert.All(listed.Where(r => r.StartsWith("..", StringComparison.Ordinal)),
                r => Assert.True(File.Exists(Path.Combine(folder, r, "kustomization.yaml")), $"{r} is a kustomization"));
        }
    }

    [Fact]
    public void Every_environment_variable_the_pods_get_is_a_configuration_key_of_the_project()
    {
        var names = Containers().SelectMany(c => Environment(c.Container).Keys).Distinct().ToList();

        Assert.Contains("ConnectionStrings__Shop", names);
        Assert.Equal([], names.Where(n => !DeployConfiguration.IsKnownVariable(n)).Order());
    }

    [Fact]
    public void The_silo_gets_the_mini_program_settings_for_shipping_uploads_and_every_secret_comes_from_a_Secret()
    {
        var silo = Silo().Spec.Template.Spec.Containers.Single();
        var fromSecrets = silo.EnvFrom.Where(s => s.SecretRef is not null)
            .SelectMany(s => Assert.Single(Of<V1Secret>(), x => x.Metadata.Name == s.SecretRef.Name).StringData.Keys).ToHashSet();
        Assert.Subset(fromSecrets, new HashSet<string> { "WeChatMiniProgram__AppId", "WeChatMiniProgram__AppSecret", "WeChatPay__ApiV3Key" });

        // No secret in a ConfigMap, where anyone who may read the namespace's settings reads it.
        var inConfigMaps = Of<V1ConfigMap>().SelectMany(m => m.Data.Keys).ToList();
        Assert.Equal([], inConfigMaps.Where(k => System.Text.RegularExpressions.Regex.IsMatch(k,
            "Secret|ApiV3Key|SigningKey|NumberKey|PersonalDataKeys__|Password|ConnectionStrings", System.Text.RegularExpressions.RegexOptions.IgnoreCase)).Order());
    }

    [Fact]
    public void Probes_call_the_real_health_endpoints_on_the_port_the_host_listens_on()
    {
        foreach (var (pod, container) in Containers())
        {
            var env = Environment(container);
            var httpPort = DeployConfiguration.UrlPort(env["Urls"]);
            Assert.Equal(httpPort, Port(container, "http"));
            Assert.Equal(ShopHealth.LivePath, container.LivenessProbe.HttpGet.Path);
            Assert.Equal(ShopHealth.ReadyPath, container.ReadinessProbe.HttpGet.Path);
            Assert.Equal(ShopHealth.ReadyPath, container.StartupProbe.HttpGet.Path);
            Assert.All(new[] { container.LivenessProbe, container.ReadinessProbe, container.StartupProbe },
                p => Assert.Equal(httpPort, Port(container, p.HttpGet.Port.Value)));
            Assert.Equal(httpPort.ToString(), pod.Metadata.Annotations["prometheus.io/port"]);
            Assert.NotNull(container.Resources.Requests["cpu"]);
            Assert.NotNull(container.Resources.Requests["memory"]);
            Assert.True(pod.Spec.SecurityContext.RunAsNonRoot, $"{container.Name} runs as non-root");
        }
    }

    [Fact]
    public void Silo_ports_are_the_orleans_ports_the_silo_is_configured_with()
    {
        var silo = Silo();
        var env = Environment(silo.Spec.Template.Spec.Containers[0]);
        Assert.Equal(int.Parse(env.GetValueOrDefault("Orleans__SiloPort") ?? DeployConfiguration.DefaultCluster.SiloPort.ToString()), Port(silo.Spec.Template.Spec.Containers[0], "silo"));
        Assert.Equal(int.Parse(env.GetValueOrDefault("Orleans__GatewayPort") ?? DeployConfiguration.DefaultCluster.GatewayPort.ToString()), Port(silo.Spec.Template.Spec.Containers[0], "gateway"));
        Assert.Equal("true", env["Orleans__ListenOnAnyHostAddress"]);
    }

    [Fact]
    public void A_silo_rollout_adds_before_it_removes_and_waits_longer_than_the_silo_drains()
    {
        var silo = Silo();
        Assert.True(silo.Spec.Replicas >= 2);
        Assert.Equal(("RollingUpdate", "0", "1"), (silo.Spec.Strategy.Type, silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value, silo.Spec.Strategy.RollingUpdate.MaxSurge.Value));
        var shutdown = TimeSpan.Parse(Environment(silo.Spec.Template.Spec.Containers[0]).GetValueOrDefault("Orleans__ShutdownTimeout") ?? "00:00:30");
        Assert.True(silo.Spec.Template.Spec.TerminationGracePeriodSeconds > shutdown.TotalSeconds + 10,
            $"terminationGracePeriodSeconds {silo.Spec.Template.Spec.TerminationGracePeriodSeconds} must exceed the silo's shutdown timeout {shutdown}");

        // The silo-count alert pages when fewer silos than this run: it must be the Deployment's replica count.
        Assert.Equal(silo.Spec.Replicas.ToString(), Environment(silo.Spec.Template.Spec.Containers[0])["Orleans__DesiredSilos"]);

        var budget = Assert.Single(Of<V1PodDisruptionBudget>(), b => Selects(b.Spec.Selector, silo.Spec.Template.Metadata.Labels));
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
        Assert.All(Of<V1Deployment>(), d => Assert.Equal("0", d.Spec.Strategy.RollingUpdate.MaxUnavailable.Value));
    }

    [Fact]
    public void An_api_pod_is_given_longer_to_stop_than_its_drain_delay_and_shutdown_timeout()
    {
        var apis = Of<V1Deployment>().Where(d => d.Spec.Template.Metadata.Labels["app.kubernetes.io/component"] == "api").ToList();
        Assert.NotEmpty(apis);
        foreach (var api in apis)
        {
            var env = Environment(api.Spec.Template.Spec.Containers[0]);
            var stop = TimeSpan.Parse(env["Api__DrainDelay"]) + TimeSpan.Parse(env["Api__ShutdownTimeout"]);
            Assert.True(api.Spec.Template.Spec.TerminationGracePeriodSeconds > stop.TotalSeconds + 5,
                $"{api.Metadata.Name}: terminationGracePeriodSeconds {api.Spec.Template.Spec.TerminationGracePeriodSeconds} must exceed drain + shutdown {stop}");
        }
    }

    [Fact]
    public void Only_silo_and_api_pods_reach_the_silo_and_gateway_ports()
    {
        var silo = Silo();
        var policy = Assert.Single(Of<V1NetworkPolicy>(), p => Selects(p.Spec.PodSelector, silo.Spec.Template.Metadata.Labels));
        Assert.Contains("Ingress", policy.Spec.PolicyTypes);
        var allowedPods = Of<V1Deployment>().Select(d => d.Spec.Template.Metadata.Labels).ToList();
        foreach (var port in new[] { Port(silo.Spec.Template.Spec.Containers[0], "silo"), Port(silo.Spec.Template.Spec.Containers[0], "gateway") })
        {
            var rules = policy.Spec.Ingress.Where(r => r.Ports is null || r.Ports.Any(p => p.Port.Value == port.ToString())).ToList();
            Assert.NotEmpty(rules);
            Assert.All(rules, r =>
            {
                Assert.NotNull(r.FromProperty);
                Assert.All(r.FromProperty, peer => Assert.True(peer.PodSelector?.MatchLabels is { Count: > 0 } && peer.NamespaceSelector is null && peer.IpBlock is null,
                    $"port {port}: only pod selectors of this namespace"));
            });
            var peers = rules.SelectMany(r => r.FromProperty).Select(p => p.PodSelector).ToList();
            Assert.All(peers, s => Assert.Contains(s.MatchLabels["app.kubernetes.io/component"], new[] { "silo", "api" }));
            Assert.Contains(allowedPods, labels => labels["app.kubernetes.io/component"] == "api" && peers.Any(s => Selects(s, labels)));
            Assert.Contains(allowedPods, labels => labels["app.kubernetes.io/component"] == "silo" && peers.Any(s => Selects(s, labels)));
        }
    }

    [Fact]
    public void Silos_run_orleans_kubernetes_hosting_with_the_pod_facts_and_rights_it_needs()
    {
        var silo = Silo();
        var pod = silo.Spec.Template;
        var env = pod.Spec.Containers[0].Env.ToDictionary(e => e.Name);
        Assert.Equal("metadata.name", env["POD_NAME"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env["POD_IP"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/clusterId']", env["ORLEANS_CLUSTER_ID"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/serviceId']", env["ORLEANS_SERVICE_ID"].ValueFrom.FieldRef.FieldPath);

        // The API reads the ids from shop-config: silos (from their labels) and API must name the same cluster.
        var config = Environment(pod.Spec.Containers[0]);
        Assert.Equal(config["Orleans__ClusterId"], pod.Metadata.Labels["orleans/clusterId"]);
        Assert.Equal(config["Orleans__ServiceId"], pod.Metadata.Labels["orleans/serviceId"]);

        var binding = Assert.Single(Of<V1RoleBinding>(), b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == pod.Spec.ServiceAccountName));
        Assert.Contains(Of<V1ServiceAccount>(), a => a.Metadata.Name == pod.Spec.ServiceAccountName);
        var role = Assert.Single(Of<V1Role>(), r => r.Metadata.Name == binding.RoleRef.Name);
        var pods = Assert.Single(role.Rules, r => r.Resources.Contains("pods"));
        Assert.Subset(pods.Verbs.ToHashSet(), new HashSet<string> { "get", "list", "watch", "delete" });
    }

    [Fact]
    public void Services_send_traffic_to_ports_the_selected_pods_have()
    {
        foreach (var service in Of<V1Service>())
        {
            var pods = Of<V1Deployment>().Where(d => service.Spec.Selector.All(kv => d.Spec.Template.Metadata.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
            Assert.NotEmpty(pods);
            Assert.All(pods, d => Assert.All(service.Spec.Ports, p => Port(d.Spec.Template.Spec.Containers[0], p.TargetPort.Value)));
        }
    }

    [Fact]
    public void Kubernetes_hosting_is_on_only_in_a_pod_with_a_database()
    {
        var pod = new Dictionary<string, string?>
        {
            ["POD_NAME"] = "shop-silo-0", ["POD_NAMESPACE"] = "shop", ["POD_IP"] = "10.0.0.7",
            ["ConnectionStrings:Shop"] = "Host=db;Username=shop",
        };
        Assert.True(Shop.Silo.Hosting.KubernetesHosting.IsEnabled(Configuration(pod)));
        Assert.False(Shop.Silo.Hosting.KubernetesHosting.IsEnabled(Configuration(pod.Where(kv => kv.Key != "POD_IP"))));
        Assert.False(Shop.Silo.Hosting.KubernetesHosting.IsEnabled(Configuration(pod.Where(kv => kv.Key != "ConnectionStrings:Shop"))));
        Assert.False(Shop.Silo.Hosting.KubernetesHosting.IsEnabled(Configuration([])));
    }

    private static Microsoft.Extensions.Configuration.IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>> values) =>
        new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static IEnumerable<string> Manifests() =>
        Folders.SelectMany(f => Directory.GetFiles(f, "*.yaml")).Where(f => Path.GetFileName(f) != "kustomization.yaml").Order();

    private static IEnumerable<T> Of<T>() => Objects.Value.OfType<T>();

    private static V1Deployment Silo() => Assert.Single(Of<V1Deployment>(), d => d.Spec.Template.Metadata.Labels["app.kubernetes.io/component"] == "silo");

    private static IEnumerable<(V1PodTemplateSpec Pod, V1Container Container)> Containers() =>
        Of<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers.Select(c => (d.Spec.Template, c)));

    /// <summary>What the container's environment holds: envFrom ConfigMaps and Secrets of these manifests, then env.</summary>
    private static Dictionary<string, string> Environment(V1Container container)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } map)
            {
                var found = Assert.Single(Of<V1ConfigMap>(), m => m.Metadata.Name == map.Name);
                found.Data.ToList().ForEach(kv => env[kv.Key] = kv.Value);
            }

            if (source.SecretRef is { } secret)
            {
                var found = Assert.Single(Of<V1Secret>(), s => s.Metadata.Name == secret.Name);
                (found.StringData ?? new Dictionary<string, string>()).ToList().ForEach(kv => env[kv.Key] = kv.Value);
                (found.Data ?? new Dictionary<string, byte[]>()).ToList().ForEach(kv => env[kv.Key] = System.Text.Encoding.UTF8.GetString(kv.Value));
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            env[variable.Name] = variable.Value ?? "(from " + variable.ValueFrom?.FieldRef?.FieldPath + ")";
        }

        return env;
    }

    private static int Port(V1Container container, string nameOrNumber) =>
        int.TryParse(nameOrNumber, out var number) ? number : Assert.Single(container.Ports, p => p.Name == nameOrNumber).ContainerPort;

    private static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        selector.MatchLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
