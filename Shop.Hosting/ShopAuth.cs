using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Hosting.Auth;

namespace Shop.Hosting;

public static class ShopRoles
{
    public const string Customer = "customer";
    public const string Admin = "admin";
}

public static class ShopPolicies
{
    public const string Customer = "customer";
    public const string Admin = "admin";
}

/// <summary>
/// JWT settings: the key set (<c>Auth:KeysFile</c>, a JWKS document re-read while running, or <c>Auth:SigningKey</c>
/// plus <c>Auth:VerificationKeys</c>), <c>Auth:Issuer</c> and <c>Auth:Audience</c>.
/// </summary>
public sealed class ShopAuthOptions(ShopKeyRing keys, string issuer, string audience, TimeSpan keysFileReloadInterval)
{
    public const int MinimumKeyBytes = ShopSigningKey.MinimumHmacBytes;
    public static readonly TimeSpan DefaultReloadInterval = TimeSpan.FromSeconds(10);

    /// <summary>One HS256 key (kid derived from it), as deployments configured before key sets existed.</summary>
    public ShopAuthOptions(byte[] signingKey, string issuer, string audience)
        : this(new ShopKeyRing(ShopKeySet.Single(ShopSigningKey.Hmac(signingKey, null, "signing key"))), issuer, audience, DefaultReloadInterval)
    {
    }

    public ShopKeyRing KeyRing { get; } = keys;

    public string Issuer { get; } = issuer;

    public string Audience { get; } = audience;

    public TimeSpan KeysFileReloadInterval { get; } = keysFileReloadInterval;

    public static ShopAuthOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Auth");
        var file = section["KeysFile"];
        ShopKeyRing ring;
        if (string.IsNullOrEmpty(file))
        {
            ring = new ShopKeyRing(ShopKeySet.FromSecrets(section));
        }
        else if (!string.IsNullOrEmpty(section["SigningKey"]))
        {
            throw new ShopConfigurationException(
                "Auth:KeysFile and Auth:SigningKey are both set: keep one (put the HS256 secret into the key file as an \"oct\" key to move to a key file).");
        }
        else
        {
            ring = ShopKeyRing.FromFile(Path.GetFullPath(file));
        }

        var interval = section.GetValue("KeysFileReloadInterval", DefaultReloadInterval);
        if (interval <= TimeSpan.Zero)
        {
            throw new ShopConfigurationException($"Auth:KeysFileReloadInterval must be positive (got {interval}).");
        }

        return new ShopAuthOptions(ring, section["Issuer"] ?? "shop", section["Audience"] ?? "shop", interval);
    }

    /// <summary>The key new tokens are signed with; a host configured to verify only has none.</summary>
    public ShopSigningKey SigningKey => KeyRing.Set.Current ?? throw new ShopConfigurationException(
        $"The token key set ({KeyRing.FilePath ?? "configuration"}) names no current key with a private key, so this host cannot sign tokens: set \"current\" in Auth:KeysFile.");

    /// <summary>A host that issues tokens calls this at startup: it fails now, not at the first sign-in, and refuses reloads that would stop it signing.</summary>
    public void RequireSigning()
    {
        _ = SigningKey;
        KeyRing.MustSign = true;
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidateIssuer = true,
        ValidIssuer = Issuer,
        ValidateAudience = true,
        ValidAudience = Audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuerSigningKey = true,
        // Read on every validation, so a reloaded key file takes effect for the next request.
        IssuerSigningKeyResolver = (_, token, kid, _) =>
            KeyRing.Set.Resolve(kid, (token as JsonWebToken)?.Alg).Select(k => k.Key),
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = ShopSigningKey.Algorithms,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
        RoleClaimType = "role",
    };
}

public static class ShopAuthExtensions
{
    /// <summary>JWT bearer authentication and the customer/admin policies used by both hosts.</summary>
    public static IServiceCollection AddShopAuthentication(this IServiceCollection services, ShopAuthOptions options)
    {
        services.AddSingleton(options);
        if (options.KeyRing.FilePath is not null)
        {
            services.AddHostedService(sp => new ShopKeyFileReloader(options.KeyRing, options.KeysFileReloadInterval,
                sp.GetRequiredService<ILogger<ShopKeyFileReloader>>()));
        }

        services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = options.ValidationParameters();
            });

        services.AddAuthorizationBuilder()
            // Everything a caller owns (carts, orders, rate-limit budget) hangs off sub, so a token without one is refused.
            .AddPolicy(ShopPolicies.Customer, p => p.RequireAuthenticatedUser().RequireClaim("sub").RequireRole(ShopRoles.Customer, ShopRoles.Admin))
            .AddPolicy(ShopPolicies.Admin, p => p.RequireAuthenticatedUser().RequireClaim("sub").RequireRole(ShopRoles.Admin));
        return services;
    }
}
