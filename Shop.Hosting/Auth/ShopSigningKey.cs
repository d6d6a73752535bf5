using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Hosting.Auth;

/// <summary>
/// One token key: its <c>kid</c>, the one algorithm it may be used with, and whether this host holds the private part
/// (or the HS256 secret) needed to sign. Built from a secret, a JWK or a PEM, with the strength rules enforced.
/// </summary>
public sealed class ShopSigningKey
{
    public const int MinimumHmacBytes = 32;
    public const int MinimumRsaBits = 2048;
    public static IReadOnlyList<string> Algorithms { get; } = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];

    private ShopSigningKey(string keyId, string algorithm, SecurityKey key, bool canSign, JsonWebKey? publicJwk)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        Key = key;
        Key.KeyId = keyId;
        CanSign = canSign;
        PublicJwk = publicJwk;
    }

    public string KeyId { get; }

    /// <summary>HS256, ES256 or RS256: a token naming another algorithm is never checked with this key.</summary>
    public string Algorithm { get; }

    public SecurityKey Key { get; }

    public bool CanSign { get; }

    /// <summary>The public JWK other services verify with; null for HS256 (a shared secret is never published).</summary>
    public JsonWebKey? PublicJwk { get; }

    public bool IsSymmetric => Algorithm == SecurityAlgorithms.HmacSha256;

    /// <summary>
    /// A kid for a key that was given without one: the first 16 characters of its RFC 7638 thumbprint, so every host
    /// derives the same kid from the same key (today's single <c>Auth:SigningKey</c> keeps working as a one-key set).
    /// </summary>
    public static string DeriveKeyId(SecurityKey key) => Base64UrlEncoder.Encode(key.ComputeJwkThumbprint())[..16];

    public static ShopSigningKey Hmac(byte[] secret, string? keyId, string source)
    {
        if (secret.Length < MinimumHmacBytes)
        {
            throw new ShopConfigurationException(
                $"{source} is {secret.Length} bytes; HS256 needs at least {MinimumHmacBytes} (256 bits).");
        }

        var key = new SymmetricSecurityKey(secret);
        return new ShopSigningKey(keyId ?? DeriveKeyId(key), SecurityAlgorithms.HmacSha256, key, canSign: true, publicJwk: null);
    }

    /// <summary>A JWK (RFC 7517): <c>oct</c> (HS256), <c>EC</c> P-256 (ES256) or <c>RSA</c> (RS256); private when it has <c>d</c>.</summary>
    public static ShopSigningKey FromJwk(JsonElement jwk, string source)
    {
        var kty = Text(jwk, "kty") ?? throw new ShopConfigurationException($"{source} has no \"kty\".");
        var kid = Text(jwk, "kid");
        var alg = Text(jwk, "alg");
        var name = kid is null ? source : $"{source} (kid {kid})";
        switch (kty)
        {
            case "oct":
                Expect(alg, SecurityAlgorithms.HmacSha256, name);
                return Hmac(Bytes(jwk, "k", name), kid, name);
            case "EC":
            {
                Expect(alg, SecurityAlgorithms.EcdsaSha256, name);
                if (Text(jwk, "crv") != "P-256")
                {
                    throw new ShopConfigurationException($"{name}: ES256 needs curve P-256 (got {Text(jwk, "crv") ?? "none"}).");
                }

                var parameters = new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Bytes(jwk, "x", name), Y = Bytes(jwk, "y", name) },
                    D = Text(jwk, "d") is null ? null : Bytes(jwk, "d", name),
                };
                return Ecdsa(Import(() => ECDsa.Create(parameters), name), kid, name);
            }
            case "RSA":
            {
                Expect(alg, SecurityAlgorithms.RsaSha256, name);
                var parameters = new RSAParameters { Modulus = Bytes(jwk, "n", name), Exponent = Bytes(jwk, "e", name) };
                if (Text(jwk, "d") is not null)
                {
                    parameters.D = Bytes(jwk, "d", name);
                    parameters.P = Bytes(jwk, "p", name);
                    parameters.Q = Bytes(jwk, "q", name);
                    parameters.DP = Bytes(jwk, "dp", name);
                    parameters.DQ = Bytes(jwk, "dq", name);
                    parameters.InverseQ = Bytes(jwk, "qi", name);
                }

                return Rsa(Import(() => RSA.Create(parameters), name), kid, name);
            }
            default:
                throw new ShopConfigurationException($"{name}: key type \"{kty}\" is not supported (oct, EC or RSA).");
        }
    }

    /// <summary>A PEM key as openssl writes it (PKCS#8 / SEC1 / PKCS#1 private, or SPKI public) for ES256 or RS256.</summary>
    public static ShopSigningKey FromPem(string pem, string? keyId, string? algorithm, string source)
    {
        var name = keyId is null ? source : $"{source} (kid {keyId})";
        switch (algorithm)
        {
            case SecurityAlgorithms.EcdsaSha256:
                return Ecdsa(Import(() => { var ec = ECDsa.Create(); ec.ImportFromPem(pem); return ec; }, name), keyId, name);
            case SecurityAlgorithms.RsaSha256:
                return Rsa(Import(() => { var rsa = RSA.Create(); rsa.ImportFromPem(pem); return rsa; }, name), keyId, name);
            default:
                throw new ShopConfigurationException($"{name}: a PEM key needs \"alg\": ES256 or RS256.");
        }
    }

    private static ShopSigningKey Ecdsa(ECDsa ecdsa, string? keyId, string name)
    {
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ShopConfigurationException($"{name}: ES256 needs curve P-256.");
        }

        var key = new ECDsaSecurityKey(ecdsa);
        var kid = keyId ?? DeriveKeyId(key);
        var jwk = new JsonWebKey
        {
            Kty = "EC", Crv = "P-256", Kid = kid, Alg = SecurityAlgorithms.EcdsaSha256, Use = "sig",
            X = Base64UrlEncoder.Encode(parameters.Q.X), Y = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
        return new ShopSigningKey(kid, SecurityAlgorithms.EcdsaSha256, key, HasPrivate(() => ecdsa.ExportParameters(true)), jwk);
    }

    private static ShopSigningKey Rsa(RSA rsa, string? keyId, string name)
    {
        if (rsa.KeySize < MinimumRsaBits)
        {
            throw new ShopConfigurationException($"{name}: RS256 needs at least {MinimumRsaBits} bits (got {rsa.KeySize}).");
        }

        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var key = new RsaSecurityKey(rsa);
        var kid = keyId ?? DeriveKeyId(key);
        var jwk = new JsonWebKey
        {
            Kty = "RSA", Kid = kid, Alg = SecurityAlgorithms.RsaSha256, Use = "sig",
            N = Base64UrlEncoder.Encode(parameters.Modulus), E = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        return new ShopSigningKey(kid, SecurityAlgorithms.RsaSha256, key, HasPrivate(() => rsa.ExportParameters(true)), jwk);
    }

    private static bool HasPrivate(Action export)
    {
        try
        {
            export();
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static T Import<T>(Func<T> create, string name)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new ShopConfigurationException($"{name}: not a valid key ({ex.Message}).", ex);
        }
    }

    private static void Expect(string? alg, string expected, string name)
    {
        if (alg is not null && alg != expected)
        {
            throw new ShopConfigurationException($"{name}: \"alg\" {alg} does not fit this key type (expected {expected}; supported: {string.Join(", ", Algorithms)}).");
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static byte[] Bytes(JsonElement jwk, string name, string source)
    {
        var text = Text(jwk, name) ?? throw new ShopConfigurationException($"{source} has no \"{name}\".");
        try
        {
            return Base64UrlEncoder.DecodeBytes(text);
        }
        catch (FormatException)
        {
            throw new ShopConfigurationException($"{source}: \"{name}\" is not base64url.");
        }
    }
}
