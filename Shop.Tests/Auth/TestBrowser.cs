using System.Net;
using System.Net.Http.Headers;
using Shop.Silo.Hosting;

namespace Shop.Tests.Auth;

/// <summary>What a browser does that matters here: keeps cookies, sends Accept: text/html and Origin, lets the test follow redirects one by one.</summary>
public sealed class TestBrowser(Uri silo) : IDisposable
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

    /// <summary>A GET to an absolute URL (another host, e.g. an identity provider's redirect).</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage redirect)
    {
        Assert.True(redirect.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"not a redirect: {(int)redirect.StatusCode}");
        var target = redirect.Headers.Location!.IsAbsoluteUri ? redirect.Headers.Location : new Uri(silo, redirect.Headers.Location);
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
