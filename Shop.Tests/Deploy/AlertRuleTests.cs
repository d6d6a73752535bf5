using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using YamlDotNet.RepresentationModel;

namespace Shop.Tests.Deploy;

/// <summary>
/// The alert rules (deploy/prometheus) are valid and fire on series shaped like ours (Prometheus's own promtool), and
/// every metric they and the Grafana dashboard name is really exported by a running silo or API.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed partial class AlertRuleTests(PaymentsCluster payments)
{
    private static readonly string RulesDirectory = Repository.PathOf("deploy", "prometheus");

    [Fact]
    public async Task Promtool_finds_the_rules_valid_and_their_unit_tests_pass()
    {
        var check = await PromtoolAsync("check", "rules", "shop-alerts.yml");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS", check.Output, StringComparison.Ordinal);

        var test = await PromtoolAsync("test", "rules", "shop-alerts.test.yml");
        Assert.True(test.ExitCode == 0, test.Output);
    }

    [Fact]
    public void Every_rule_has_a_unit_test_that_fires_it()
    {
        var tested = Yaml("shop-alerts.test.yml").AllNodes.OfType<YamlMappingNode>()
            .Where(m => m.Children.ContainsKey("alertname") && m.Children.TryGetValue("exp_alerts", out var e) && e is YamlSequenceNode { Children.Count: > 0 })
            .Select(m => m["alertname"].ToString()).ToHashSet();

        Assert.Equal(Alerts().Select(a => a.Name).Order(), Alerts().Select(a => a.Name).Where(tested.Contains).Order());
    }

    [Fact]
    public async Task Every_metric_the_rules_name_is_exported_by_a_running_silo_or_api()
    {
        // A short walk, so that what only exists once it happened exists: an order, a refused notification.
        var token = await payments.LoginAsync("alerts-" + Guid.NewGuid().ToString("N"));
        await payments.Cluster.OrderAsync(token);
        using (var anonymous = payments.Cluster.CreateClient())
        {
            using var forged = await anonymous.PostAsync("/api/payments/wechat/notify", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            Assert.False(forged.IsSuccessStatusCode);
        }

        var silo = await PrometheusText.ScrapeAsync(payments.Cluster.Silos[0].HttpAddress);
        var api = await PrometheusText.ScrapeAsync(payments.Cluster.ApiAddress);
        var exported = silo.Names.Union(api.Names).ToHashSet();

        var fromRules = Alerts().SelectMany(a => MetricNames(a.Expr)).ToHashSet();
        Assert.NotEmpty(fromRules);
        Assert.Equal([], fromRules.Where(n => !exported.Contains(n)).Order());
        Assert.All(Alerts(), a => Assert.NotEmpty(MetricNames(a.Expr)));

        // The label values the rules select on are the ones ASP.NET Core really writes, and the ring counts this silo.
        Assert.True(api.Sum("http_server_request_duration_seconds_count", ("http_route", "/api/orders/"), ("http_request_method", "POST")) >= 1,
            "POST /api/orders is recorded under http_route=\"/api/orders/\"");
        Assert.True(silo.Sum("orleans_consistent_ring_size") >= 1);
    }

    /// <summary>
    /// Every metric the Grafana dashboard plots is on the silo's or the API's page: called after the full purchase
    /// walk of <see cref="BusinessMetricsTests"/> (refund and reconciliation series exist only once they happened).
    /// </summary>
    internal static void AssertDashboardMetricsExported(PrometheusText silo, PrometheusText api)
    {
        var exported = silo.Names.Union(api.Names).ToHashSet();
        var fromDashboard = DashboardExpressions().SelectMany(MetricNames).ToHashSet();
        Assert.True(fromDashboard.Count >= 10, $"the dashboard names {fromDashboard.Count} metrics");
        Assert.Equal([], fromDashboard.Where(n => !exported.Contains(n)).Order());
    }

    private static IEnumerable<(string Name, string Expr)> Alerts() =>
        ((YamlSequenceNode)Yaml("shop-alerts.yml")["groups"]).Children.Cast<YamlMappingNode>()
            .SelectMany(g => ((YamlSequenceNode)g["rules"]).Children.Cast<YamlMappingNode>())
            .Select(r => (r["alert"].ToString(), r["expr"].ToString()));

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(Repository.Read("deploy", "grafana", "shop.json"));
        return [.. dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    /// <summary>Metric names in a PromQL expression: label matchers and grouping clauses removed first.</summary>
    internal static HashSet<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(Matchers().Replace(expr, ""), "");
        return [.. MetricName().Matches(bare).Select(m => m.Value)];
    }

    private static YamlMappingNode Yaml(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RulesDirectory, file))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] args)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("promtool is not installed: deploy/test.sh installs it (Debian package prometheus).");
        var start = new ProcessStartInfo(promtool) { WorkingDirectory = RulesDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"promtool {string.Join(' ', args)} did not finish in 60 s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\b(shop|orleans|http|process|dotnet|aspnetcore|kestrel)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();
}
