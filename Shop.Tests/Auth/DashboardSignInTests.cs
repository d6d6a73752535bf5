using System.Net;
using System.Net.Http.Headers;
using Shop.Hosting;
using Shop.Silo.Hosting;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Auth;

/// <summary>
/// An operator opens the Orleans Dashboard on a (non-Development) silo with a browser: no bearer header, so a sign-in
/// page trades an admin token for a short-lived cookie. Driven as a browser would: cookies kept, redirects not followed.
/// </summary>
public sealed class DashboardSignInTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Only_an_admin_token_signs_a_browser_in_and_the_cookie_expires()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true, withApi: false,
            configure: c => c.Settings["Dashboard:SignInLifetime"] = Lifetime.ToString());
        using var browser = new TestBrowser(cluster.Silos[0].HttpAddress);

        // Not signed in: a browser is sent to the sign-in page, a tool gets 401.
        using (var page = await browser.GetAsync("/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal($"{DashboardSignIn.Path}?returnUrl=%2Fdashboard%2F", page.Headers.Location!.PathAndQuery);
        }

        using (var tool = await browser.GetAsync("/dashboard/", html: false))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, tool.StatusCode);
        }

        using (var form = await browser.GetAsync(DashboardSignIn.Path + "?returnUrl=%2Fdashboard%2F"))
        {
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            var html = await form.Content.ReadAsStringAsync();
            Assert.Contains("name=\"token\"", html);
            Assert.Contains("value=\"/dashboard/\"", html);
        }

        // Refused: a customer's token, a token the silo's keys did not sign, and a post from another site.
        await AssertRefusedAsync(browser, TestTokens.Customer("shopper-1"), HttpStatusCode.Forbidden);
        await AssertRefusedAsync(browser, TestTokens.Create("ops-1", ShopRoles.Admin, key: "some-other-signing-key-0123456789-abcdefghij"), HttpStatusCode.Unauthorized);
        await AssertRefusedAsync(browser, TestTokens.Admin("ops-1"), HttpStatusCode.Forbidden, origin: "https://evil.example");

        // An admin token: a cookie the page's scripts cannot read and other sites' requests do not carry.
        using (var signIn = await browser.SignInAsync(TestTokens.Admin("ops-1"), returnUrl: "/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Equal("/dashboard/", signIn.Headers.Location!.OriginalString);
            var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(DashboardSignIn.CookieName + "=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secure", cookie.Replace("httponly", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        }

        var signedInAt = DateTime.UtcNow;
        using (var dashboard = await browser.GetAsync("/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }

        // The cookie lasts Dashboard:SignInLifetime and no longer: then the dashboard sends the browser back to sign in.
        await Poll.UntilAsync(() => browser.StatusAsync("/dashboard/"), s => s == HttpStatusCode.Redirect,
            Lifetime + TimeSpan.FromSeconds(10), "the dashboard cookie to expire");
        Assert.InRange(DateTime.UtcNow - signedInAt, Lifetime - TimeSpan.FromSeconds(1), Lifetime + TimeSpan.FromSeconds(10));

        // Signing out ends it at once.
        (await browser.SignInAsync(TestTokens.Admin("ops-1"), "/dashboard/")).Dispose();
        Assert.Equal(HttpStatusCode.OK, await browser.StatusAsync("/dashboard/"));
        (await browser.PostAsync(DashboardSignIn.SignOutPath, [])).Dispose();
        Assert.Equal(HttpStatusCode.Redirect, await browser.StatusAsync("/dashboard/"));
    }

    [Fact]
    public async Task OpenId_Connect_signs_in_only_users_the_identity_provider_names_admins()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true, withApi: false, configure: c =>
        {
            c.Settings["Dashboard:OpenIdConnect:Authority"] = idp.Authority.ToString();
            c.Settings["Dashboard:OpenIdConnect:ClientId"] = FakeIdentityProvider.ClientId;
            c.Settings["Dashboard:OpenIdConnect:ClientSecret"] = FakeIdentityProvider.ClientSecret;
            c.Settings["Dashboard:OpenIdConnect:AdminValue"] = "shop-admin";
        });
        using var browser = new TestBrowser(cluster.Silos[0].HttpAddress);
        using (var page = await browser.GetAsync(DashboardSignIn.Path))
        {
            Assert.Contains($"href=\"{DashboardOpenIdConnect.ChallengePath}?returnUrl=%2Fdashboard%2F\"", await page.Content.ReadAsStringAsync());
        }

        // Someone the provider knows but not as an admin: back to the sign-in page, no dashboard cookie.
        idp.User = ("bob", ["staff"]);
        using (var refused = await SignInThroughProviderAsync(browser))
        {
            Assert.Equal($"{DashboardSignIn.Path}?error=provider", refused.Headers.Location!.OriginalString);
            Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith(DashboardSignIn.CookieName + "=", StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.Redirect, await browser.StatusAsync("/dashboard/"));

        // An admin of the merchant's directory: the same cookie as an admin token gives.
        idp.User = ("alice", ["staff", "shop-admin"]);
        using (var signedIn = await SignInThroughProviderAsync(browser))
        {
            Assert.Equal("/dashboard/", signedIn.Headers.Location!.OriginalString);
            var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(DashboardSignIn.CookieName + "=", StringComparison.Ordinal));
            Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(HttpStatusCode.OK, await browser.StatusAsync("/dashboard/"));
    }

    /// <summary>Dashboard → provider → back to the silo's callback: returns the callback's answer.</summary>
    private static async Task<HttpResponseMessage> SignInThroughProviderAsync(TestBrowser browser)
    {
        using var challenge = await browser.GetAsync($"{DashboardOpenIdConnect.ChallengePath}?returnUrl=%2Fdashboard%2F");
        using var authorized = await browser.FollowAsync(challenge);
        Assert.StartsWith(DashboardOpenIdConnect.CallbackPath + "?code=", authorized.Headers.Location!.PathAndQuery);
        return await browser.FollowAsync(authorized);
    }

    private static async Task AssertRefusedAsync(TestBrowser browser, string token, HttpStatusCode status, string? origin = null)
    {
        using var response = await browser.SignInAsync(token, "/dashboard/", origin);
        Assert.Equal(status, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Redirect, await browser.StatusAsync("/dashboard/"));
    }
}
