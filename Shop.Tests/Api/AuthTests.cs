using System.Net;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Api.Auth;
using Shop.Client;
using Shop.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiClusters clusters)
{
    [Fact]
    public async Task No_token_is_401_problem_with_bearer_challenge()
    {
        var host = await clusters.Testing;
        await Problems.AssertThrowsAsync(() => host.CreateApi().GetMeAsync(), HttpStatusCode.Unauthorized, ShopErrorCodes.Unauthorized);

        using var response = await host.CreateClient().GetAsync("/api/admin/ping");
        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, ShopErrorCodes.Unauthorized);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    public static TheoryData<string, string> RejectedTokens => new()
    {
        // Issued two hours ago for one hour: expired well beyond the validator's clock skew.
        { "expired", TestTokens.Create("admin-1", ShopRoles.Admin, TimeSpan.FromHours(1), now: DateTime.UtcNow.AddHours(-2)) },
        { "wrong key", TestTokens.Create("admin-1", ShopRoles.Admin, key: "another-signing-key-that-is-long-enough-0123456789") },
        { "alg none", TestTokens.Unsigned("admin-1", ShopRoles.Admin) },
        { "wrong audience", new ShopTokenIssuer(new ShopAuthOptions(Encoding.UTF8.GetBytes(TestTokens.SigningKey), TestTokens.Issuer, "someone-else"), TimeProvider.System).Issue("admin-1", ShopRoles.Admin).AccessToken },
        { "garbage", "not.a.jwt" },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Invalid_tokens_are_401(string kind, string token)
    {
        var host = await clusters.Testing;
        var problem = await Problems.AssertThrowsAsync(() => host.CreateApi(token).GetMeAsync(), HttpStatusCode.Unauthorized, ShopErrorCodes.Unauthorized);
        Assert.True(problem.Status == 401, kind);
        await Problems.AssertThrowsAsync(() => host.CreateApi(token).AdminPingAsync(), HttpStatusCode.Unauthorized, ShopErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Signed_token_without_a_subject_is_forbidden()
    {
        var host = await clusters.Testing;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Issuer,
            Audience = TestTokens.Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["role"] = ShopRoles.Admin },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(TestTokens.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        await Problems.AssertThrowsAsync(() => host.CreateApi(token).GetMeAsync(), HttpStatusCode.Forbidden, ShopErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Customer_sees_itself_but_is_forbidden_on_admin_routes()
    {
        var host = await clusters.Testing;
        var api = host.CreateApi(TestTokens.Customer("cust-42"));

        var me = await api.GetMeAsync();
        Assert.Equal("cust-42", me.Sub);
        Assert.Equal([ShopRoles.Customer], me.Roles);

        await Problems.AssertThrowsAsync(() => api.AdminPingAsync(), HttpStatusCode.Forbidden, ShopErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Admin_ping_reaches_the_cluster()
    {
        var host = await clusters.Testing;
        var api = host.CreateApi(TestTokens.Admin("ops-1"));

        var ping = await api.AdminPingAsync();
        Assert.Equal("ops-1", ping.Sub);
        Assert.Equal(1, ping.ActiveSilos);
        Assert.InRange(ping.ServerTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var me = await api.GetMeAsync();
        Assert.Equal([ShopRoles.Admin], me.Roles);
    }
}
