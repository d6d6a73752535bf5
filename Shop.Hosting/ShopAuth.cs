using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

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

/// <summary>HS256 JWT settings (<c>Auth:SigningKey</c>, <c>Auth:Issuer</c>, <c>Auth:Audience</c>).</summary>
public sealed record ShopAuthOptions(byte[] SigningKey, string Issuer, string Audience)
{
    public const int MinimumKeyBytes = 32;

    public SymmetricSecurityKey SecurityKey => new(SigningKey);

    public static ShopAuthOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Auth");
        var key = section["SigningKey"];
        if (string.IsNullOrEmpty(key))
        {
            throw new ShopConfigurationException(
                "Auth:SigningKey is not set. Set it (at least 32 bytes, e.g. environment variable Auth__SigningKey) outside Development.");
        }

        var bytes = Encoding.UTF8.GetBytes(key);
        if (bytes.Length < MinimumKeyBytes)
        {
            throw new ShopConfigurationException(
                $"Auth:SigningKey is {bytes.Length} bytes; HS256 needs at least {MinimumKeyBytes}.");
        }

        return new ShopAuthOptions(bytes, section["Issuer"] ?? "shop", section["Audience"] ?? "shop");
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
        IssuerSigningKey = SecurityKey,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
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
