using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Shop.Hosting;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Auth;

/// <summary>Asymmetric keys (verifying with only the public half) and the strength rules, checked where operators meet them.</summary>
public sealed class SigningKeyConfigurationTests : IDisposable
{
    private readonly TestKeyFile _issuerFile = new();
    private readonly TestKeyFile _verifierFile = new();

    [Fact]
    public async Task Tokens_from_the_token_command_verify_with_only_the_public_keys()
    {
        var es256 = TestKey.Es256("es-2026");
        var rs256 = TestKey.Rs256("rs-2026");
        _issuerFile.Write(es256.Kid, es256.PrivateJwk, rs256.PrivateJwk);
        _verifierFile.Write(current: null, es256.PublicJwk, rs256.PublicJwk);
        Assert.DoesNotContain("\"d\"", await File.ReadAllTextAsync(_verifierFile.Path));
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true, configure: c =>
        {
            c.Settings["Auth:SigningKey"] = null;
            c.Settings["Auth:KeysFile"] = _verifierFile.Path;
        });

        // The operator's CLI signs with the current key of the issuer's file and names it.
        var (exitCode, output, error) = await TokenCommandTests.RunAsync(Path.GetTempPath(), ["token", "--sub", "cli-ops", "--role", "admin"],
            new() { ["Auth__KeysFile"] = _issuerFile.Path });
        Assert.True(exitCode == 0, error);
        var minted = output.Trim();
        Assert.Equal(es256.Kid, TestKey.KidOf(minted));

        var me = await cluster.CreateApi(minted).GetMeAsync();
        Assert.Equal("cli-ops", me.Sub);
        Assert.Equal("rs-ops", (await cluster.CreateApi(rs256.Sign("rs-ops", ShopRoles.Admin)).AdminPingAsync()).Sub);

        // A key only verifies what it signed, with its own algorithm: a forged kid or an HS256 token naming a public key fails.
        var forger = TestKey.Es256("forger");
        var publicKeyAsSecret = TestKey.Hs256(kid: es256.Kid);
        foreach (var forged in new[] { forger.Sign("x", ShopRoles.Admin, claimedKid: es256.Kid), forger.Sign("x", ShopRoles.Admin), publicKeyAsSecret.Sign("x", ShopRoles.Admin) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(cluster, forged));
        }

        // The verifier's file cannot sign, and the CLI says so.
        var (refusedExit, refusedOutput, refusedError) = await TokenCommandTests.RunAsync(Path.GetTempPath(), ["token", "--sub", "u1", "--role", "admin"],
            new() { ["Auth__KeysFile"] = _verifierFile.Path });
        Assert.Equal(2, refusedExit);
        Assert.Equal("", refusedOutput);
        Assert.Contains("no current key", refusedError);
    }

    [Fact]
    public async Task A_shared_secret_rotates_through_configuration_with_verification_keys()
    {
        const string oldSecret = "the-secret-signing-key-before-the-rotation-0123";
        const string newSecret = "the-secret-signing-key-after-the-rotation-456789";
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true, configure: c =>
        {
            c.Settings["Auth:SigningKey"] = newSecret;
            c.Settings["Auth:VerificationKeys:0"] = oldSecret;
        });

        // Step 2 of the rotation: signing with the new secret, still accepting what the old one signed.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(cluster, TestTokens.Create("u-old", ShopRoles.Customer, key: oldSecret)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(cluster, TestTokens.Create("u-new", ShopRoles.Customer, key: newSecret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(cluster, TestTokens.Create("u-x", ShopRoles.Customer, key: "a-third-secret-nobody-configured-0123456789ab")));
    }

    public static TheoryData<string, JsonObject[], string?, string> BadKeyFiles()
    {
        var good = TestKey.Es256("good");
        var shortSecret = TestKey.Hs256(bytes: 16, kid: "short");
        return new()
        {
            { "short HS256 secret", [shortSecret.PrivateJwk], "short", "is 16 bytes; HS256 needs at least 32 (256 bits)" },
            { "ES256 on P-384", [TestKey.Es256("p384", ECCurve.NamedCurves.nistP384).PrivateJwk], "p384", "ES256 needs curve P-256" },
            { "1024-bit RSA", [TestKey.Rs256("rsa1024", 1024).PrivateJwk], "rsa1024", "RS256 needs at least 2048 bits" },
            { "unknown current", [good.PrivateJwk], "missing", "the current key missing is not in the set" },
            { "public current", [good.PublicJwk], "good", "the current key good has no private key" },
            { "duplicate kid", [good.PrivateJwk, good.PublicJwk], "good", "kid good appears twice" },
            { "empty", [], null, "holds no key" },
        };
    }

    [Theory]
    [MemberData(nameof(BadKeyFiles))]
    public async Task A_weak_or_inconsistent_key_file_fails_at_startup_with_a_clear_message(string kind, JsonObject[] keys, string? current, string message)
    {
        _issuerFile.Write(current, keys);
        var error = await Assert.ThrowsAsync<ShopConfigurationException>(() => ShopTestCluster.StartAsync(embedded: true, configure: c =>
        {
            c.Settings["Auth:SigningKey"] = null;
            c.Settings["Auth:KeysFile"] = _issuerFile.Path;
        }));
        Assert.True(error.Message.Contains(message), $"{kind}: {error.Message}");
        Assert.Contains("Auth:KeysFile", error.Message);
    }

    [Fact]
    public async Task A_key_file_and_a_signing_key_together_fail_at_startup()
    {
        var key = TestKey.Es256("k");
        _issuerFile.Write(key.Kid, key.PrivateJwk);
        var error = await Assert.ThrowsAsync<ShopConfigurationException>(() => ShopTestCluster.StartAsync(embedded: true,
            configure: c => c.Settings["Auth:KeysFile"] = _issuerFile.Path));
        Assert.Contains("Auth:KeysFile and Auth:SigningKey are both set", error.Message);
    }

    private static async Task<HttpStatusCode> StatusAsync(ShopTestCluster cluster, string token)
    {
        using var client = cluster.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public void Dispose()
    {
        _issuerFile.Dispose();
        _verifierFile.Dispose();
    }
}
