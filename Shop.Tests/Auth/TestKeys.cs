using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Auth;

/// <summary>A token key the way an operator makes one: the JWK for the key file, and the means to sign as its holder.</summary>
public sealed class TestKey
{
    private TestKey(string kid, SecurityKey key, string algorithm, JsonObject privateJwk, JsonObject publicJwk)
    {
        Kid = kid;
        Key = key;
        Key.KeyId = kid;
        Algorithm = algorithm;
        PrivateJwk = privateJwk;
        PublicJwk = publicJwk;
    }

    public string Kid { get; }

    public SecurityKey Key { get; }

    public string Algorithm { get; }

    /// <summary>What the issuer's key file holds.</summary>
    public JsonObject PrivateJwk { get; }

    /// <summary>What a host that only verifies needs (equal to <see cref="PrivateJwk"/> for HS256).</summary>
    public JsonObject PublicJwk { get; }

    public static TestKey Es256(string kid, ECCurve? curve = null)
    {
        var ecdsa = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(includePrivateParameters: true);
        var publicJwk = new JsonObject
        {
            ["kty"] = "EC", ["kid"] = kid, ["alg"] = "ES256",
            ["crv"] = curve is null ? "P-256" : "P-384",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        };
        var privateJwk = (JsonObject)publicJwk.DeepClone();
        privateJwk["d"] = Base64UrlEncoder.Encode(p.D);
        return new TestKey(kid, new ECDsaSecurityKey(ecdsa), SecurityAlgorithms.EcdsaSha256, privateJwk, publicJwk);
    }

    public static TestKey Rs256(string kid, int bits = 2048)
    {
        var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var publicJwk = new JsonObject
        {
            ["kty"] = "RSA", ["kid"] = kid, ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
        var privateJwk = (JsonObject)publicJwk.DeepClone();
        foreach (var (name, value) in new[] { ("d", p.D), ("p", p.P), ("q", p.Q), ("dp", p.DP), ("dq", p.DQ), ("qi", p.InverseQ) })
        {
            privateJwk[name] = Base64UrlEncoder.Encode(value);
        }

        return new TestKey(kid, new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256, privateJwk, publicJwk);
    }

    /// <summary>An HS256 secret; without a kid in the file the hosts derive one (the JWK thumbprint prefix).</summary>
    public static TestKey Hs256(int bytes = 32, string? kid = null)
    {
        var secret = RandomNumberGenerator.GetBytes(bytes);
        var key = new SymmetricSecurityKey(secret);
        var derived = kid ?? Base64UrlEncoder.Encode(key.ComputeJwkThumbprint())[..16];
        var jwk = new JsonObject { ["kty"] = "oct", ["k"] = Base64UrlEncoder.Encode(secret) };
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        return new TestKey(derived, key, SecurityAlgorithms.HmacSha256, jwk, (JsonObject)jwk.DeepClone());
    }

    /// <summary>A token signed with this key whose header names <paramref name="claimedKid"/> (default: its own kid).</summary>
    public string Sign(string sub, string role, string? claimedKid = null, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var key = claimedKid is null ? Key : Retag(claimedKid);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.Issuer,
            Audience = TestTokens.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = new Dictionary<string, object> { ["sub"] = sub, ["role"] = role, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(key, Algorithm),
        });
    }

    private SecurityKey Retag(string kid) => Key switch
    {
        ECDsaSecurityKey ec => new ECDsaSecurityKey(ec.ECDsa) { KeyId = kid },
        RsaSecurityKey rsa => new RsaSecurityKey(rsa.Rsa) { KeyId = kid },
        SymmetricSecurityKey hs => new SymmetricSecurityKey(hs.Key) { KeyId = kid },
        _ => throw new NotSupportedException(),
    };

    public static string KidOf(string token) => new JsonWebToken(token).Kid;
}

/// <summary>A key file as operators edit it: written whole and moved into place, as an editor or a Secret update does.</summary>
public sealed class TestKeyFile : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("shop-keys-");

    public string Path => System.IO.Path.Combine(_directory.FullName, "jwks.json");

    public TestKeyFile Write(string? current, params JsonObject[] keys)
    {
        var document = new JsonObject { ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.DeepClone()).ToArray()) };
        if (current is not null)
        {
            document["current"] = current;
        }

        WriteRaw(document.ToJsonString());
        return this;
    }

    public void WriteRaw(string text)
    {
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, Path, overwrite: true);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
