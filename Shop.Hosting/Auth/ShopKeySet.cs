using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Shop.Hosting.Auth;

/// <summary>
/// The keys a host accepts tokens from, by kid, and the one it signs with (<see cref="Current"/>; null on a host that
/// only verifies). Immutable: a rotation replaces the whole set at once.
/// </summary>
public sealed class ShopKeySet
{
    private readonly Dictionary<string, ShopSigningKey> _keys;

    public ShopKeySet(IReadOnlyList<ShopSigningKey> keys, string? currentKeyId, string source)
    {
        if (keys.Count == 0)
        {
            throw new ShopConfigurationException($"{source} holds no key.");
        }

        _keys = new Dictionary<string, ShopSigningKey>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!_keys.TryAdd(key.KeyId, key))
            {
                throw new ShopConfigurationException($"{source}: kid {key.KeyId} appears twice.");
            }
        }

        if (currentKeyId is not null)
        {
            if (!_keys.TryGetValue(currentKeyId, out var current))
            {
                throw new ShopConfigurationException($"{source}: the current key {currentKeyId} is not in the set.");
            }

            if (!current.CanSign)
            {
                throw new ShopConfigurationException($"{source}: the current key {currentKeyId} has no private key to sign with.");
            }

            Current = current;
        }

        Keys = [.. _keys.Values];
    }

    public IReadOnlyList<ShopSigningKey> Keys { get; }

    public static ShopKeySet Single(ShopSigningKey key) => new([key], key.KeyId, key.KeyId);

    public ShopSigningKey? Current { get; }

    /// <summary>
    /// The keys a token may have been signed with: with a kid exactly that key (an unknown kid is refused, never tried
    /// against the others), without one (tokens minted before kids existed) every key of its algorithm.
    /// </summary>
    public IEnumerable<ShopSigningKey> Resolve(string? keyId, string? algorithm)
    {
        if (!string.IsNullOrEmpty(keyId))
        {
            return _keys.TryGetValue(keyId, out var key) && key.Algorithm == algorithm ? [key] : [];
        }

        return Keys.Where(k => k.Algorithm == algorithm);
    }

    /// <summary>
    /// A JWKS document (<c>{"keys": [...]}</c>, RFC 7517) plus our <c>"current"</c> member naming the signing key
    /// (ignored by other JWKS readers). Each key is a JWK, or <c>{"kid", "alg": "ES256"|"RS256", "pem"}</c>.
    /// </summary>
    public static ShopKeySet ParseDocument(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ShopConfigurationException($"{source} is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new ShopConfigurationException($"{source} is not a JWKS document: it needs a \"keys\" array.");
            }

            var parsed = keys.EnumerateArray().Select((k, i) => ParseEntry(k, $"{source} keys[{i}]")).ToList();
            var current = root.TryGetProperty("current", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            return new ShopKeySet(parsed, current, source);
        }
    }

    private static ShopSigningKey ParseEntry(JsonElement entry, string source)
    {
        if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("pem", out var pem) && pem.ValueKind == JsonValueKind.String)
        {
            string? Text(string name) => entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return ShopSigningKey.FromPem(pem.GetString()!, Text("kid"), Text("alg"), source);
        }

        return ShopSigningKey.FromJwk(entry, source);
    }

    /// <summary>
    /// <c>Auth:SigningKey</c> (HS256, signs) plus any <c>Auth:VerificationKeys:n</c> (HS256, accepted, never signed
    /// with): the configuration-only way to rotate a shared secret.
    /// </summary>
    public static ShopKeySet FromSecrets(IConfiguration auth)
    {
        var secret = auth["SigningKey"];
        if (string.IsNullOrEmpty(secret))
        {
            throw new ShopConfigurationException(
                "Auth:SigningKey is not set. Set it (at least 32 bytes, e.g. environment variable Auth__SigningKey) or Auth:KeysFile outside Development.");
        }

        var current = ShopSigningKey.Hmac(Encoding.UTF8.GetBytes(secret), null, "Auth:SigningKey");
        var keys = new List<ShopSigningKey> { current };
        foreach (var extra in auth.GetSection("VerificationKeys").GetChildren().Where(c => !string.IsNullOrEmpty(c.Value)))
        {
            var key = ShopSigningKey.Hmac(Encoding.UTF8.GetBytes(extra.Value!), null, $"Auth:VerificationKeys:{extra.Key}");
            if (key.KeyId != current.KeyId)
            {
                keys.Add(key);
            }
        }

        return new ShopKeySet(keys, current.KeyId, "Auth:SigningKey");
    }
}
