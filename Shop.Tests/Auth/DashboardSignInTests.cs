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
        using var browser = new Browser(cluster.Silos[0].HttpAddress);

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

    private static async Task AssertRefusedAsync(Browser browser, string token, HttpStatusCode status, string? origin = null)
    {
        using var response = await browser.SignInAsync(token, "/dashboard/", origin);
        Assert.Equal(status, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Redirect, await browser.StatusAsync("/dashboard/"));
    }

    private sealed class Browser(Uri silo) : IDisposable
    {
        private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = silo,
        };

        public Task<HttpResponseMessage> GetAsync(string path, bool html = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (html)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            }

            return _http.SendAsync(request);
        }

        public async Task<HttpStatusCode> StatusAsync(string path)
        {
            using var response = await GetAsync(path);
            return response.StatusCode;
        }

        public Task<HttpResponseMessage> SignInAsync(string token, string returnUrl, string? origin = null) =>
            PostAsync(DashboardSignIn.Path, new() { ["token"] = token, ["returnUrl"] = returnUrl }, origin);

        public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> form, string? origin = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
            request.Headers.TryAddWithoutValidation("Origin", origin ?? silo.GetLeftPart(UriPartial.Authority));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            return _http.SendAsync(request);
        }

        public void Dispose() => _http.Dispose();
    }
}
