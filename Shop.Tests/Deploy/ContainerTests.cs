using System.Diagnostics;
using System.Text.RegularExpressions;
using Shop.Hosting;
using Shop.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Shop.Tests.Deploy;

/// <summary>
/// No container engine runs here: the Dockerfiles and deploy/compose/compose.yaml are checked against the code
/// (configuration keys, health routes, ports, the simulator merchant both sides agree on), and the images'
/// HEALTHCHECK script is run against a real silo.
/// </summary>
public sealed partial class ContainerTests
{
    private static readonly string[] Images = ["silo", "api", "simulator"];

    [Theory]
    [InlineData("silo", "Shop.Silo")]
    [InlineData("api", "Shop.Api")]
    [InlineData("simulator", "Shop.WeChatPay.Simulator")]
    public void Each_Dockerfile_builds_with_the_sdk_runs_on_aspnet_as_non_root_with_a_real_healthcheck(string image, string project)
    {
        var lines = Dockerfile(image);
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1], StringComparison.Ordinal);
        var runtime = lines.SkipWhile(l => l != stages[1]).ToList();

        Assert.Equal("USER $APP_UID", Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", Assert.Single(runtime, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        Assert.Contains($"RUN dotnet publish {project}/{project}.csproj -c Release -o /app --no-restore -p:UseAppHost=false", lines);

        var env = Env(runtime);
        Assert.All(env.Keys, k => Assert.True(DeployConfiguration.IsKnownVariable(k), $"{image}: ENV {k} is not a configuration key"));
        var port = DeployConfiguration.UrlPort(env["Urls"]);
        var exposed = Assert.Single(runtime, l => l.StartsWith("EXPOSE ", StringComparison.Ordinal))["EXPOSE ".Length..].Split(' ').Select(int.Parse).ToList();
        var expected = image == "silo" ? new[] { port, DeployConfiguration.DefaultCluster.SiloPort, DeployConfiguration.DefaultCluster.GatewayPort } : [port];
        Assert.Equal(expected.Order(), exposed.Order());

        var healthcheck = Assert.Single(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.EndsWith($"CMD [\"shop-healthcheck\", \"{ShopHealth.ReadyPath}\"]", healthcheck, StringComparison.Ordinal);
        Assert.Contains("COPY --chmod=755 deploy/docker/healthcheck.sh /usr/local/bin/shop-healthcheck", runtime);

        // Nothing secret goes in: no tests, no local keys; development settings are kept out of the build context.
        Assert.DoesNotContain(lines, l => l.StartsWith("COPY", StringComparison.Ordinal) && (l.Contains("Shop.Tests", StringComparison.Ordinal) || l.Contains(".local", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.StartsWith("ENV", StringComparison.Ordinal) && Regex.IsMatch(l, "Key|Secret|Password|ConnectionStrings", RegexOptions.IgnoreCase));
        var ignored = File.ReadAllLines(Repository.PathOf("deploy", "docker", image + ".Dockerfile.dockerignore"));
        Assert.Subset(ignored.ToHashSet(), new HashSet<string> { "**/bin/", "**/obj/", ".local/", "Shop.Tests/", "**/appsettings.Development.json", "**/*.pem" });
    }

    [Fact]
    public void The_projects_an_image_builds_are_all_copied_into_its_build_stage()
    {
        foreach (var (image, project) in new[] { ("silo", "Shop.Silo"), ("api", "Shop.Api"), ("simulator", "Shop.WeChatPay.Simulator") })
        {
            var build = Dockerfile(image).TakeWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToList();
            var copied = build.Where(l => l.StartsWith("COPY Shop.", StringComparison.Ordinal) && l.EndsWith('/')).Select(l => l.Split(' ')[1].TrimEnd('/')).ToHashSet();
            var projects = References(project).ToHashSet();
            Assert.Subset(copied, projects);

            // Files a project takes from outside its own folder (the region table, the migrations) must be copied too,
            // to the same place, or publish fails in the image while every local build passes.
            var sources = build.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.StartsWith("COPY --", StringComparison.Ordinal))
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(parts => parts.Length == 3 && parts[1] == parts[2])
                .Select(parts => parts[1])
                .ToList();
            foreach (var outside in projects.SelectMany(OutsideIncludes).Distinct())
            {
                Assert.True(sources.Any(s => s.EndsWith('/') ? outside.StartsWith(s, StringComparison.Ordinal) : outside == s),
                    $"{image}: {outside} is included by a project the image builds but is not copied into its build stage");
            }
        }
    }

    [Fact]
    public void Outside_includes_are_found_in_the_projects_that_have_them()
    {
        // Guards the check above: if the pattern stopped matching, that check would pass on every Dockerfile.
        Assert.Contains("deploy/data/regions.csv", OutsideIncludes("Shop.Grains.Interfaces"));
        Assert.Contains("deploy/sql/", OutsideIncludes("Shop.Silo"));
    }

    [Fact]
    public async Task The_healthcheck_script_is_healthy_only_when_the_host_answers_200()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true, withApi: false);
        var silo = cluster.Silos[0].HttpAddress;

        Assert.Equal(0, await HealthcheckAsync($"http://0.0.0.0:{silo.Port}", ShopHealth.ReadyPath));
        Assert.Equal(0, await HealthcheckAsync($"http://0.0.0.0:{silo.Port}", ShopHealth.LivePath));
        Assert.NotEqual(0, await HealthcheckAsync($"http://0.0.0.0:{silo.Port}", "/no-such-route"));
        Assert.NotEqual(0, await HealthcheckAsync($"http://0.0.0.0:{FreePorts.Next()}", ShopHealth.ReadyPath));
    }

    [Fact]
    public void Compose_runs_postgres_two_silos_the_api_and_the_simulator_with_known_keys()
    {
        var services = Services();
        Assert.Contains("postgres", services.Keys);
        Assert.Equal(2, services.Values.Count(s => ImageOf(s) == "silo"));
        Assert.Single(services.Values, s => ImageOf(s) == "api");
        Assert.Single(services.Values, s => ImageOf(s) == "simulator");

        foreach (var (name, service) in services.Where(s => ImageOf(s.Value) is not null))
        {
            Assert.All(Environment(service).Keys, k => Assert.True(DeployConfiguration.IsKnownVariable(k), $"{name}: {k} is not a configuration key"));
            Assert.StartsWith("Host=postgres;", Environment(service).GetValueOrDefault("ConnectionStrings__Shop") ?? "Host=postgres;", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Compose_hosts_share_one_network_namespace_on_distinct_ports_and_find_each_other_there()
    {
        var services = Services();
        var shop = services.Where(s => ImageOf(s.Value) is not null).ToDictionary(s => s.Key, s => Environment(s.Value));
        var owner = services.Single(s => ImageOf(s.Value) == "api").Key;
        Assert.All(services.Where(s => ImageOf(s.Value) is not null && s.Key != owner), s => Assert.Equal($"service:{owner}", s.Value["network_mode"].ToString()));

        var httpPorts = shop.Values.Select(e => DeployConfiguration.UrlPort(e["Urls"])).ToList();
        var silos = shop.Where(s => ImageOf(services[s.Key]) == "silo").Select(s => s.Value).ToList();
        var orleansPorts = silos.SelectMany(e => new[] { int.Parse(e["Orleans__SiloPort"]), int.Parse(e["Orleans__GatewayPort"]) });
        Assert.Equal(httpPorts.Count + silos.Count * 2, httpPorts.Concat(orleansPorts).Distinct().Count());
        var published = ((YamlSequenceNode)services[owner]["ports"]).Children.Select(p => int.Parse(p.ToString().Split(':')[^1])).ToHashSet();
        Assert.Subset(published, httpPorts.ToHashSet());

        var api = shop[owner];
        var simulator = shop.Single(s => ImageOf(services[s.Key]) == "simulator").Value;
        foreach (var silo in silos)
        {
            Assert.Equal(DeployConfiguration.UrlPort(simulator["Urls"]), new Uri(silo["WeChatPay__BaseUrl"]).Port);
            Assert.Equal(new Uri($"http://127.0.0.1:{DeployConfiguration.UrlPort(api["Urls"])}/api/payments/wechat/notify"), new Uri(silo["WeChatPay__NotifyUrl"]));
            // The silo is the simulator's merchant: same mchid, appid, APIv3 key, certificate serial and public key id.
            Assert.Equal(simulator["Simulator__Merchants__0__MchId"], silo["WeChatPay__MchId"]);
            Assert.Equal(simulator["Simulator__Merchants__0__AppIds__0"], silo["WeChatPay__AppId"]);
            Assert.Equal(simulator["Simulator__Merchants__0__ApiV3Key"], silo["WeChatPay__ApiV3Key"]);
            Assert.Equal(simulator["Simulator__Merchants__0__Certificates__0__Serial"], silo["WeChatPay__MerchantCertificateSerial"]);
            Assert.Equal(simulator["Simulator__PublicKeyId"], silo["WeChatPay__PublicKeyId"]);
            Assert.Equal(simulator["Simulator__PlatformPublicKeyOutputPath"], silo["WeChatPay__PublicKeyPath"]);
            // Shipping information uploads: the simulator's mini program, with the secret it knows.
            Assert.Equal(DeployConfiguration.UrlPort(simulator["Urls"]), new Uri(silo["WeChatMiniProgram__BaseUrl"]).Port);
            Assert.Equal(simulator["Simulator__Merchants__0__AppIds__0"], silo["WeChatMiniProgram__AppId"]);
            Assert.Equal(simulator[$"Simulator__MiniProgramSecrets__{silo["WeChatMiniProgram__AppId"]}"], silo["WeChatMiniProgram__AppSecret"]);
        }

        Assert.Equal(simulator[$"Simulator__MiniProgramSecrets__{api["WeChatLogin__AppId"]}"], api["WeChatLogin__AppSecret"]);
        Assert.Equal(DeployConfiguration.UrlPort(simulator["Urls"]), new Uri(api["WeChatLogin__BaseUrl"]).Port);
    }

    [Fact]
    public void Compose_waits_on_healthchecks_that_exist()
    {
        var services = Services();
        foreach (var service in services.Values.Where(s => s.Children.ContainsKey("depends_on")))
        {
            foreach (var (dependency, condition) in ((YamlMappingNode)service["depends_on"]).Children.Select(c => (c.Key.ToString(), ((YamlMappingNode)c.Value)["condition"].ToString())))
            {
                if (condition == "service_healthy")
                {
                    var target = services[dependency];
                    Assert.True(target.Children.ContainsKey("healthcheck") || ImageOf(target) is not null, $"{dependency} has a healthcheck (its own or its image's)");
                }
            }
        }
    }

    private static List<string> Dockerfile(string image) =>
        [.. File.ReadAllLines(Repository.PathOf("deploy", "docker", image + ".Dockerfile")).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    private static Dictionary<string, string> Env(IEnumerable<string> lines) => lines
        .Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
        .SelectMany(l => l["ENV ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(p => p[0], p => p[1]);

    private static IEnumerable<string> References(string project)
    {
        yield return project;
        var csproj = File.ReadAllText(Repository.PathOf(project, project + ".csproj"));
        foreach (Match reference in ProjectReference().Matches(csproj))
        {
            foreach (var transitive in References(reference.Groups[1].Value))
            {
                yield return transitive;
            }
        }
    }

    /// <summary>
    /// Repository paths of the items a project includes from outside its folder (<c>Include="..\deploy\data\x.csv"</c>),
    /// other than project references; a wildcard include becomes the folder before its first wildcard.
    /// </summary>
    private static IEnumerable<string> OutsideIncludes(string project) => OutsideInclude()
        .Matches(File.ReadAllText(Repository.PathOf(project, project + ".csproj")))
        .Where(m => m.Groups["item"].Value != "ProjectReference")
        .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
        .Select(path => path.IndexOf('*', StringComparison.Ordinal) is var star and >= 0 ? path[..(path.LastIndexOf('/', star) + 1)] : path);

    private static Dictionary<string, YamlMappingNode> Services()
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(File.ReadAllText(Repository.PathOf("deploy", "compose", "compose.yaml"))))));
        return ((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"]).Children
            .ToDictionary(c => c.Key.ToString(), c => (YamlMappingNode)c.Value);
    }

    /// <summary>Which of our images a compose service builds (silo, api, simulator), or null for others.</summary>
    private static string? ImageOf(YamlMappingNode service) =>
        service.Children.TryGetValue("build", out var build) && ((YamlMappingNode)build)["dockerfile"].ToString() is var file
            ? Images.Single(i => file == $"deploy/docker/{i}.Dockerfile")
            : null;

    private static Dictionary<string, string> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service["environment"]).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());

    private static async Task<int> HealthcheckAsync(string urls, string path)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Repository.PathOf("deploy", "docker", "healthcheck.sh"));
        start.ArgumentList.Add(path);
        start.Environment["Urls"] = urls;
        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    [GeneratedRegex(@"ProjectReference Include=""\.\.\\([^\\]+)\\")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"<(?<item>\w+) Include=""\.\.\\(?<path>[^""]+)""")]
    private static partial Regex OutsideInclude();
}
