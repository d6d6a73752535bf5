using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;
using Shop.Hosting;

namespace Shop.Api.Auth;

/// <summary>
/// <c>GET /.well-known/jwks.json</c>: the public halves of the ES256/RS256 keys this API accepts, so another service
/// verifies our tokens without holding a secret (HS256 secrets are never published). Follows key-file reloads.
/// </summary>
public static class JwksEndpoint
{
    public const string Path = "/.well-known/jwks.json";

    public static WebApplication MapJwksEndpoint(this WebApplication app)
    {
        app.MapGet(Path, Get).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static JsonHttpResult<JsonObject> Get(ShopAuthOptions auth, HttpContext context)
    {
        // Verifiers cache it; a short max-age keeps a newly added key visible well before anyone signs with it.
        context.Response.Headers.CacheControl = "public, max-age=60";
        var keys = new JsonArray();
        foreach (var jwk in auth.KeyRing.Set.Keys.Select(k => k.PublicJwk).OfType<JsonWebKey>())
        {
            var key = new JsonObject();
            foreach (var (name, value) in new[] { ("kty", jwk.Kty), ("kid", jwk.Kid), ("use", jwk.Use), ("alg", jwk.Alg), ("crv", jwk.Crv), ("x", jwk.X), ("y", jwk.Y), ("n", jwk.N), ("e", jwk.E) })
            {
                if (value is not null)
                {
                    key[name] = value;
                }
            }

            keys.Add(key);
        }

        return TypedResults.Json(new JsonObject { ["keys"] = keys });
    }
}
