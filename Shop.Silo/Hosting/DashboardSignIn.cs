using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Shop.Hosting;

namespace Shop.Silo.Hosting;

/// <summary>
/// How an operator reaches the Orleans Dashboard with a browser outside Development: a sign-in page takes an admin
/// token (e.g. from <c>dotnet run --project Shop.Api -- token --sub ops --role admin</c>), checks it against the silo's
/// key set and answers with a short-lived, HttpOnly, SameSite=Strict cookie (Secure over https) that never outlives the
/// token. Tools keep sending <c>Authorization: Bearer</c>; only admins get in either way.
/// </summary>
public static class DashboardSignIn
{
    public const string Policy = "dashboard";
    public const string Path = "/dashboard-signin";
    public const string SignOutPath = Path + "/signout";
    public const string CookieName = "shop-dashboard";
    public const string DefaultReturnUrl = "/dashboard/";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(30);

    private const string CookieScheme = "ShopDashboardCookie";
    private const string Scheme = "ShopDashboard";

    public static IServiceCollection AddShopDashboardSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var lifetime = configuration.GetValue("Dashboard:SignInLifetime", DefaultLifetime);
        if (lifetime < TimeSpan.FromSeconds(1) || lifetime > TimeSpan.FromHours(12))
        {
            throw new ShopConfigurationException($"Dashboard:SignInLifetime must be between 00:00:01 and 12:00:00 (got {lifetime}).");
        }

        var authentication = services.AddAuthentication();
        authentication
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = lifetime;
                o.SlidingExpiration = false;
                o.LoginPath = Path;
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnRedirectToLogin = context =>
                {
                    // A browser is sent to the sign-in page; a script or tool gets the 401 it can act on.
                    if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers.WWWAuthenticate = JwtBearerDefaults.AuthenticationScheme;
                    }

                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddPolicyScheme(Scheme, "Bearer token or dashboard sign-in", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count > 0 ? JwtBearerDefaults.AuthenticationScheme : CookieScheme);

        var provider = DashboardOpenIdConnect.FromConfiguration(configuration);
        provider?.AddTo(authentication, CookieScheme);
        services.AddSingleton(new DashboardSignInChoices(provider is not null));

        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim("sub").RequireRole(ShopRoles.Admin));
        return services;
    }

    public static WebApplication MapShopDashboardSignIn(this WebApplication app)
    {
        var group = app.MapGroup(Path).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("", (HttpContext context, string? returnUrl, string? error) => Page(context, LocalOrDefault(returnUrl),
            error == "provider" ? "The identity provider did not sign you in as an admin." : null));
        if (app.Services.GetRequiredService<DashboardSignInChoices>().OpenIdConnect)
        {
            group.MapGet("/oidc", (string? returnUrl) => TypedResults.Challenge(
                new AuthenticationProperties { RedirectUri = LocalOrDefault(returnUrl), IsPersistent = false }, [DashboardOpenIdConnect.Scheme]));
        }

        group.MapPost("", SignInAsync);
        group.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieScheme);
            return TypedResults.Redirect(Path, permanent: false, preserveMethod: false);
        });
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ShopAuthOptions auth, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(DashboardSignIn));
        if (!IsSameOrigin(context.Request))
        {
            // Nobody else's page may sign a browser in (SameSite guards the dashboard, this guards the sign-in).
            return Page(context, DefaultReturnUrl, "Sign-in is only accepted from this page.", StatusCodes.Status403Forbidden);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = LocalOrDefault(form["returnUrl"]);
        var token = form["token"].ToString().Trim();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = token["Bearer ".Length..].Trim();
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, auth.ValidationParameters());
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || result.ClaimsIdentity.FindFirst("sub")?.Value is not { Length: > 0 } sub)
        {
            logger.LogWarning("Dashboard sign-in refused: the token is not valid here ({Reason})", result.Exception?.GetType().Name ?? "no subject");
            return Page(context, returnUrl, "That token is not valid here (expired, or signed by another key).", StatusCodes.Status401Unauthorized);
        }

        if (!new ClaimsPrincipal(result.ClaimsIdentity).IsInRole(ShopRoles.Admin))
        {
            logger.LogWarning("Dashboard sign-in refused for {Sub}: not an admin", sub);
            return Page(context, returnUrl, "Only the admin role may open the dashboard.", StatusCodes.Status403Forbidden);
        }

        var identity = new ClaimsIdentity([new Claim("sub", sub), new Claim("role", ShopRoles.Admin)], CookieScheme, "sub", "role");
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieScheme);
        var expires = (options.TimeProvider ?? TimeProvider.System).GetUtcNow() + options.ExpireTimeSpan;
        var properties = new AuthenticationProperties
        {
            // Never longer than the token it was granted for; a session cookie, gone with the browser too.
            ExpiresUtc = jwt.ValidTo < expires.UtcDateTime ? new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) : expires,
            IsPersistent = false,
            AllowRefresh = false,
        };
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity), properties);
        logger.LogInformation("Dashboard sign-in of {Sub} until {ExpiresAt}", sub, properties.ExpiresUtc);
        return TypedResults.Redirect(returnUrl, permanent: false, preserveMethod: false);
    }

    /// <summary>
    /// Browsers say where a form post comes from; only this host's own page is accepted. Hosts are compared, not
    /// schemes, so a TLS-terminating proxy in front of the silo does not lock operators out.
    /// </summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Only a path on this host: never an open redirect to another site.</summary>
    private static string LocalOrDefault(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] is not ('/' or '\\') ? url : DefaultReturnUrl;

    private static IResult Page(HttpContext context, string returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        context.Response.Headers.CacheControl = "no-store";
        var html = HtmlEncoder.Default;
        var message = error is null ? "" : $"<p role=\"alert\" style=\"color:#b00\">{html.Encode(error)}</p>";
        var provider = context.RequestServices.GetRequiredService<DashboardSignInChoices>().OpenIdConnect
            ? $"<p><a href=\"{DashboardOpenIdConnect.ChallengePath}?returnUrl={Uri.EscapeDataString(returnUrl)}\">Sign in with the identity provider</a></p>"
            : "";
        var body = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Shop silo: dashboard sign-in</title></head>
            <body style="font-family:sans-serif;max-width:40em;margin:3em auto">
            <h1>Orleans Dashboard</h1>
            <p>Paste an admin token (<code>dotnet run --project Shop.Api -- token --sub you --role admin</code>).</p>
            {message}
            {provider}
            <form method="post" action="{Path}">
            <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
            <textarea name="token" rows="6" style="width:100%" required autocomplete="off"></textarea>
            <p><button type="submit">Sign in</button></p>
            </form>
            </body></html>
            """;
        return Results.Content(body, "text/html; charset=utf-8", statusCode: status);
    }
}

/// <summary>Which sign-ins this silo offers besides pasting a token.</summary>
internal sealed record DashboardSignInChoices(bool OpenIdConnect);
