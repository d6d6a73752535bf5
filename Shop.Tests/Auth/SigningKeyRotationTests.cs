using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Client.Identity;
using Shop.Hosting;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Auth;

/// <summary>
/// A signing-key rotation done the documented way while the API and the silo run, by rewriting the key file they share:
/// add the new key, switch signing to it, drop the old one. The outage this prevents is a storm of 401s for tokens that
/// were valid before the rotation.
/// </summary>
public sealed class SigningKeyRotationTests : IDisposable
{
    private readonly TestKeyFile _file = new();

    [Fact]
    public async Task A_rotation_while_running_never_refuses_a_token_that_was_valid_before_it()
    {
        // From today's kind of key (a shared HS256 secret) to ES256, the migration an operator makes once.
        var oldKey = TestKey.Hs256();
        var newKey = TestKey.Es256("2026-12-es256");
        _file.Write(oldKey.Kid, oldKey.PrivateJwk);
        await using var cluster = await StartAsync(Environments.Development);
        using var api = cluster.CreateClient();
        using var silo = new HttpClient { BaseAddress = cluster.Silos[0].HttpAddress };

        var before = await MintAsync(api, "early-bird");
        Assert.Equal(oldKey.Kid, TestKey.KidOf(before));
        await AssertAcceptedAsync(api, silo, before);

        // 1. Add the new key (still signing with the old one): once loaded, tokens signed with it are accepted.
        _file.Write(oldKey.Kid, oldKey.PrivateJwk, newKey.PrivateJwk);
        var signedByNew = newKey.Sign("ops-2", ShopRoles.Admin);
        await Poll.UntilAsync(() => StatusAsync(api, "/api/me", signedByNew), s => s == HttpStatusCode.OK, what: "the API to load the new key");
        await Poll.UntilAsync(() => StatusAsync(silo, "/dashboard/", signedByNew), s => s == HttpStatusCode.OK, what: "the silo to load the new key");
        Assert.Equal(oldKey.Kid, TestKey.KidOf(await MintAsync(api, "still-old")));
        await AssertAcceptedAsync(api, silo, before);

        // 2. Switch signing: new tokens carry the new kid, and the ones signed before keep working.
        _file.Write(newKey.Kid, oldKey.PrivateJwk, newKey.PrivateJwk);
        var after = await Poll.UntilAsync(() => MintAsync(api, "late-bird"), t => TestKey.KidOf(t) == newKey.Kid, what: "signing with the new key");
        await AssertAcceptedAsync(api, silo, after);
        await AssertAcceptedAsync(api, silo, before);

        // Tokens whose kid names no key, or a key that did not sign them, are refused.
        var stranger = TestKey.Es256("not-ours");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(api, "/api/me", stranger.Sign("mallory", ShopRoles.Admin)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(api, "/api/me", stranger.Sign("mallory", ShopRoles.Admin, claimedKid: newKey.Kid)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(silo, "/dashboard/", stranger.Sign("mallory", ShopRoles.Admin)));

        // Other services verify with the published public key; the HS256 secret is never published.
        var jwks = await api.GetFromJsonAsync<JsonObject>("/.well-known/jwks.json");
        var published = Assert.Single(jwks!["keys"]!.AsArray());
        Assert.Equal(newKey.Kid, (string?)published!["kid"]);
        Assert.Null(published["d"]);
        Assert.Equal((string?)newKey.PublicJwk["x"], (string?)published["x"]);

        // 3. Drop the old key after the token lifetime: what it signed is refused from then on, by both hosts.
        _file.Write(newKey.Kid, newKey.PrivateJwk);
        await Poll.UntilAsync(() => StatusAsync(api, "/api/me", before), s => s == HttpStatusCode.Unauthorized, what: "the API to drop the old key");
        await Poll.UntilAsync(() => StatusAsync(silo, "/dashboard/", before), s => s == HttpStatusCode.Unauthorized, what: "the silo to drop the old key");
        await AssertAcceptedAsync(api, silo, after);
    }

    [Fact]
    public async Task A_broken_key_file_is_logged_and_ignored_and_the_previous_keys_stay_in_force()
    {
        var key = TestKey.Es256("steady");
        _file.Write(key.Kid, key.PrivateJwk);
        var logs = new CapturedLogs();
        await using var cluster = await StartAsync(Environments.Development, logs);
        using var api = cluster.CreateClient();
        var token = await MintAsync(api, "steady-user");

        // Half-written, then a set that would leave the issuing API unable to sign: each is refused, loudly.
        _file.WriteRaw("{\"keys\": [");
        await Poll.UntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.Message.Contains("is not JSON"))), found => found, what: "the broken file to be logged");
        _file.Write(current: null, key.PublicJwk);
        await Poll.UntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.Message.Contains("names no current key"))), found => found, what: "the unsigned set to be logged");

        Assert.All(logs.Entries.Where(e => e.Message.Contains("not applied")), e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/api/me", token));
        Assert.Equal(key.Kid, TestKey.KidOf(await MintAsync(api, "steady-user")));
    }

    private Task<ShopTestCluster> StartAsync(string apiEnvironment, CapturedLogs? apiLogs = null) => ShopTestCluster.StartAsync(embedded: true, configure: c =>
    {
        c.ApiEnvironment = apiEnvironment;
        if (apiLogs is not null)
        {
            c.ConfigureApiServices = services => services.AddSingleton<ILoggerProvider>(apiLogs);
        }

        c.Settings["Auth:SigningKey"] = null;
        c.Settings["Auth:KeysFile"] = _file.Path;
        c.Settings["Auth:KeysFileReloadInterval"] = "00:00:00.2";
    });

    /// <summary>A token minted by the running API itself (Development's token route: the same issuer WeChat login uses).</summary>
    private static async Task<string> MintAsync(HttpClient api, string sub)
    {
        using var response = await api.PostAsJsonAsync("/api/dev/token", new { sub, role = ShopRoles.Admin, minutes = 60 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }

    private static async Task AssertAcceptedAsync(HttpClient api, HttpClient silo, string token)
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, "/api/me", token));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(silo, "/dashboard/", token));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public void Dispose() => _file.Dispose();
}
