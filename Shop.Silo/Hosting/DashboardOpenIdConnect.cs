using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Shop.Hosting;

namespace Shop.Silo.Hosting;

/// <summary>
/// Optional dashboard sign-in through the merchant's identity provider (<c>Dashboard:OpenIdConnect:*</c>): code flow
/// with PKCE; a user whose ID token carries <see cref="AdminClaim"/> = <see cref="AdminValue"/> gets the same cookie
/// as an admin token would; anyone else is sent back to the sign-in page without one.
/// </summary>
public sealed record DashboardOpenIdConnect(Uri Authority, string ClientId, string? ClientSecret, string AdminClaim, string AdminValue, string[] Scopes)
{
    public const string Scheme = "ShopDashboardOidc";
    public const string ChallengePath = DashboardSignIn.Path + "/oidc";
    public const string CallbackPath = DashboardSignIn.Path + "/oidc-callback";
    private const string Section = "Dashboard:OpenIdConnect";

    /// <summary>Null when no authority is configured (the feature is off).</summary>
    public static DashboardOpenIdConnect? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (string.IsNullOrWhiteSpace(section["Authority"]))
        {
            return null;
        }

        if (!Uri.TryCreate(section["Authority"], UriKind.Absolute, out var authority)
            || authority.Scheme != Uri.UriSchemeHttps && !(authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
        {
            throw new ShopConfigurationException($"{Section}:Authority must be an https URL (got '{section["Authority"]}').");
        }

        if (string.IsNullOrWhiteSpace(section["ClientId"]))
        {
            throw new ShopConfigurationException($"{Section}:ClientId is required when {Section}:Authority is set.");
        }

        return new DashboardOpenIdConnect(authority, section["ClientId"]!, section["ClientSecret"],
            section["AdminClaim"] ?? "roles", section["AdminValue"] ?? "shop-admin",
            (section["Scope"] ?? "openid profile").Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public void AddTo(AuthenticationBuilder authentication, string cookieScheme) =>
        authentication.AddOpenIdConnect(Scheme, "Identity provider", o =>
        {
            o.Authority = Authority.ToString();
            o.RequireHttpsMetadata = Authority.Scheme == Uri.UriSchemeHttps;
            o.ClientId = ClientId;
            o.ClientSecret = ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            // The code comes back on a top-level GET, so the correlation cookies can stay SameSite=Lax.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.CallbackPath = CallbackPath;
            o.SignInScheme = cookieScheme;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            foreach (var scope in Scopes)
            {
                o.Scope.Add(scope);
            }

            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }

            o.Events.OnTokenValidated = context =>
            {
                var user = context.Principal;
                var sub = user?.FindFirst("sub")?.Value;
                if (sub is null || user!.Claims.All(c => c.Type != AdminClaim || c.Value != AdminValue))
                {
                    context.Fail($"{sub ?? "a user without sub"} has no {AdminClaim}={AdminValue} claim");
                    return Task.CompletedTask;
                }

                // Only what the dashboard needs: who, and that they are an admin here.
                context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim("sub", sub), new Claim("role", ShopRoles.Admin)], cookieScheme, "sub", "role"));
                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardOpenIdConnect))
                    .LogWarning("Dashboard sign-in through the identity provider refused: {Reason}", context.Failure?.Message);
                context.Response.Redirect(DashboardSignIn.Path + "?error=provider");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
}
