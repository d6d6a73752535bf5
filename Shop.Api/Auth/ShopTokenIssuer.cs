using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Api.Errors;
using Shop.Client.Identity;
using Shop.Hosting;

namespace Shop.Api.Auth;

/// <summary>
/// Mints tokens the API accepts (sub, role, iss, aud, iat/nbf/exp, jti), signed with the key set's current key and
/// carrying its <c>kid</c>. Used by the <c>token</c> command, WeChat login and the Development-only <c>POST /api/dev/token</c>.
/// </summary>
public sealed class ShopTokenIssuer(ShopAuthOptions options, TimeProvider time)
{
    public const int DefaultMinutes = 60;
    public const int MaxMinutes = 24 * 60;
    public const int MaxSubjectLength = 128;

    public static IReadOnlyList<string> Roles { get; } = [ShopRoles.Customer, ShopRoles.Admin];

    /// <summary>The rules a token request must meet; field names match <see cref="DevTokenRequest"/>'s JSON.</summary>
    public static ValidationErrors Check(string? sub, string? role, int? minutes, ValidationErrors? errors = null) =>
        (errors ?? new ValidationErrors())
            .Required("sub", sub, MaxSubjectLength)
            .OneOf("role", role, Roles)
            .Range("minutes", minutes ?? DefaultMinutes, 1, MaxMinutes);

    public TokenResponse Issue(string sub, string role, int? minutes = null, IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        var errors = Check(sub, role, minutes);
        if (!errors.IsValid)
        {
            throw new ArgumentException($"Invalid token request: {errors}");
        }

        // JWT times have whole-second precision; report the expiry the token really carries.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expires = now.AddMinutes(minutes ?? DefaultMinutes);
        var claims = new Dictionary<string, object>(extraClaims ?? new Dictionary<string, object>())
        {
            [JwtRegisteredClaimNames.Sub] = sub,
            ["role"] = role,
            [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        // Read once: a reload between here and CreateToken must not pair one key's kid with another's signature.
        var key = options.SigningKey;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Key, key.Algorithm),
        });
        return new TokenResponse(token, "Bearer", expires);
    }
}
