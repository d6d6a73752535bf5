using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using Shop.Api.Auth;
using Shop.Hosting;

namespace Shop.Tests.Api;

/// <summary>Tokens for the test hosts, minted by the API's own issuer, plus the forged kinds an attacker would try.</summary>
public static class TestTokens
{
    public const string SigningKey = "api-tests-signing-key-0123456789-abcdefghijklmnop";
    public const string Issuer = "shop-tests";
    public const string Audience = "shop-tests-api";

    public static string Customer(string sub = "customer-1") => Mint(sub, ShopRoles.Customer);

    public static string Admin(string sub = "admin-1") => Mint(sub, ShopRoles.Admin);

    public static string Mint(string sub, string role, int minutes = 60, TimeProvider? time = null, string key = SigningKey, string audience = Audience) =>
        new ShopTokenIssuer(new ShopAuthOptions(Encoding.UTF8.GetBytes(key), Issuer, audience), time ?? TimeProvider.System)
            .Issue(sub, role, minutes).AccessToken;

    /// <summary>Issued two hours ago for one hour: expired well beyond the validator's clock skew.</summary>
    public static string Expired(string sub = "customer-1") =>
        Mint(sub, ShopRoles.Admin, 60, new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2)));

    /// <summary>Well-formed claims with <c>alg: none</c> and no signature.</summary>
    public static string Unsigned(string sub = "admin-1")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg = "none", typ = "JWT" }));
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new
        {
            sub, role = ShopRoles.Admin, iss = Issuer, aud = Audience, iat = now, nbf = now, exp = now + 3600, jti = "forged",
        }));
        return $"{header}.{payload}.";
    }
}
