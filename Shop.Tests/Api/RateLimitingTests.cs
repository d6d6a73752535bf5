using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Shop.Api.Hosting;
using Shop.Client;
using Shop.Client.Identity;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class RateLimitingTests
{
    [Fact]
    public async Task Reads_and_writes_have_separate_per_caller_budgets_and_health_is_exempt()
    {
        await using var host = await ApiClusters.StartAsync(c =>
        {
            c.ApiEnvironment = Environments.Development;
            c.Settings["RateLimiting:Reads:PermitLimit"] = "2";
            c.Settings["RateLimiting:Reads:WindowSeconds"] = "300";
            c.Settings["RateLimiting:Writes:PermitLimit"] = "1";
            c.Settings["RateLimiting:Writes:WindowSeconds"] = "300";
        });
        var alice = host.CreateClient(TestTokens.Customer("alice"));

        for (var i = 0; i < 2; i++)
        {
            using var ok = await alice.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var limited = await alice.GetAsync("/api/me"))
        {
            var problem = await Problems.AssertAsync(limited, HttpStatusCode.TooManyRequests, ShopErrorCodes.RateLimited);
            var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")));
            Assert.InRange(retryAfter, 1, 300);
            Assert.Contains($"{retryAfter} s", problem.Detail);
        }

        // Through the typed client too.
        await Problems.AssertThrowsAsync(() => host.CreateApi(TestTokens.Customer("alice")).GetMeAsync(),
            HttpStatusCode.TooManyRequests, ShopErrorCodes.RateLimited);

        // Another user has a budget of their own.
        Assert.Equal("bob", (await host.CreateApi(TestTokens.Customer("bob")).GetMeAsync()).Sub);

        // Writes are counted apart from reads.
        using (var write = await alice.PostAsJsonAsync("/api/dev/token", new DevTokenRequest("x", "customer")))
        {
            Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        }

        using (var secondWrite = await alice.PostAsJsonAsync("/api/dev/token", new DevTokenRequest("x", "customer")))
        {
            await Problems.AssertAsync(secondWrite, HttpStatusCode.TooManyRequests, ShopErrorCodes.RateLimited);
        }

        // Health probes are never limited.
        var anonymous = host.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            using var live = await anonymous.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // Anonymous callers share their IP's budget: two reads, then 429 (before authorization says 401).
        for (var i = 0; i < 2; i++)
        {
            using var unauthorized = await anonymous.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        using var anonymousLimited = await anonymous.GetAsync("/api/me");
        await Problems.AssertAsync(anonymousLimited, HttpStatusCode.TooManyRequests, ShopErrorCodes.RateLimited);
    }

    [Theory]
    [InlineData("RateLimiting:Writes:PermitLimit", "0")]
    [InlineData("RateLimiting:Reads:WindowSeconds", "soon")]
    [InlineData("Api:MaxRequestBodyBytes", "-1")]
    public void Invalid_limits_stop_startup_with_a_clear_message(string key, string value)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            [key] = value,
        });
        var error = Assert.Throws<ShopConfigurationException>(() => builder.AddShopApi());
        Assert.Contains(key, error.Message);
    }
}
