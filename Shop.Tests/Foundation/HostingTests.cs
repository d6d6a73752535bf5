using System.Net;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Foundation;

public sealed class HostingTests
{
    [Fact]
    public async Task Silo_and_api_on_postgres_are_ready_and_serve_metrics_and_an_admin_only_dashboard()
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        using var http = new HttpClient();
        var silo = cluster.Silos[0].HttpAddress;

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(silo, "/health/live"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(silo, "/health/ready"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(cluster.ApiAddress, "/health/ready"))).StatusCode);
        Assert.Contains("# TYPE", await http.GetStringAsync(new Uri(silo, "/metrics")));
        Assert.Contains("# TYPE", await http.GetStringAsync(new Uri(cluster.ApiAddress, "/metrics")));

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(silo, "/dashboard/"))).StatusCode);
        using var customer = new HttpRequestMessage(HttpMethod.Get, new Uri(silo, "/dashboard/"));
        customer.Headers.Authorization = new("Bearer", TestTokens.Customer());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(customer)).StatusCode);
        using var admin = new HttpRequestMessage(HttpMethod.Get, new Uri(silo, "/dashboard/"));
        admin.Headers.Authorization = new("Bearer", TestTokens.Admin());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(admin)).StatusCode);
    }

    [Fact]
    public async Task Ready_is_unhealthy_while_postgres_is_down_and_recovers_when_it_is_back()
    {
        await using var server = await PostgresServer.StartNewAsync();
        var connectionString = await server.CreateDatabaseAsync("health");
        await using var cluster = await ShopTestCluster.StartAsync(connectionString: connectionString);
        using var http = new HttpClient();
        var apiReady = new Uri(cluster.ApiAddress, "/health/ready");
        var siloReady = new Uri(cluster.Silos[0].HttpAddress, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(apiReady)).StatusCode);

        await server.StopAsync();
        await Poll.UntilAsync(() => http.GetAsync(apiReady), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, what: "API not ready");
        await Poll.UntilAsync(() => http.GetAsync(siloReady), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, what: "silo not ready");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(cluster.ApiAddress, "/health/live"))).StatusCode);

        await server.StartAsync();
        await Poll.UntilAsync(() => http.GetAsync(apiReady), r => r.StatusCode == HttpStatusCode.OK, what: "API ready again");
        await Poll.UntilAsync(() => http.GetAsync(siloReady), r => r.StatusCode == HttpStatusCode.OK, what: "silo ready again");
    }

    [Fact]
    public async Task The_embedded_mode_runs_without_any_database()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(cluster.ApiAddress, "/health/ready"))).StatusCode);
    }

    [Theory]
    [InlineData("Host=;Database=shop", "has no Host")]
    [InlineData("Hots=127.0.0.1", "not a valid PostgreSQL connection string")]
    public async Task A_malformed_connection_string_fails_at_startup_with_a_clear_message(string connectionString, string message)
    {
        var error = await Assert.ThrowsAsync<ShopConfigurationException>(() => ShopTestCluster.StartAsync(connectionString: connectionString));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task An_unreachable_database_fails_at_startup_quickly_and_names_it()
    {
        var port = FreePorts.Next();
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<ShopConfigurationException>(() =>
            ShopTestCluster.StartAsync(connectionString: $"Host=127.0.0.1;Port={port};Database=shop;Username=shop"));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("not reachable", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(null, "Auth:SigningKey is not set")]
    [InlineData("too-short", "needs at least 32")]
    public async Task A_missing_or_weak_signing_key_fails_at_startup(string? key, string message)
    {
        var error = await Assert.ThrowsAsync<ShopConfigurationException>(() =>
            ShopTestCluster.StartAsync(embedded: true, configure: c => c.Settings["Auth:SigningKey"] = key));
        Assert.Contains(message, error.Message);
    }
}
