using System.Net;
using Shop.Client;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Foundation;

public sealed class ClusterUnavailableTests
{
    [Fact]
    public async Task With_no_silo_left_a_grain_route_answers_503_with_retry_after_and_recovers_when_a_silo_is_back()
    {
        await using var cluster = await ShopTestCluster.StartAsync(configure: c => c.Settings["Orleans:ConnectTimeoutSeconds"] = "5");
        using var http = cluster.CreateClient(TestTokens.Admin());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/admin/ping")).StatusCode);

        await cluster.Silos[0].StopAsync();

        using var response = await Poll.UntilAsync(() => http.GetAsync("/api/admin/ping"),
            r => r.StatusCode != HttpStatusCode.OK, what: "a failed ping");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable, ShopErrorCodes.ServiceUnavailable);
        Assert.False(string.IsNullOrEmpty(problem.TraceId));

        await cluster.StartSiloAsync();
        await Poll.UntilAsync(() => http.GetAsync("/api/admin/ping"), r => r.StatusCode == HttpStatusCode.OK,
            timeout: TimeSpan.FromSeconds(60), what: "the API to reach the new silo");
    }
}
