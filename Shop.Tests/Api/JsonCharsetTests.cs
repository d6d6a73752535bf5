using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Shop.Client;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Api;

/// <summary>
/// A JSON body in a charset the API cannot decode is the client's mistake: 415 UNSUPPORTED_MEDIA_TYPE like any other
/// body the API cannot read, on every JSON route (anonymous, customer, admin), and nothing an operator is paged for.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class JsonCharsetTests(ApiClusters clusters)
{
    public static TheoryData<string, string?> Routes => new()
    {
        { "/api/dev/token", null },
        { "/api/auth/wechat/login", null },
        { "/api/admin/categories", "admin" },
        { "/api/orders", "customer" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Unknown_or_empty_charset_on_a_json_route_is_415_without_an_error_log(string route, string? role)
    {
        var host = await clusters.Development;
        var client = host.CreateClient(role switch
        {
            "admin" => TestTokens.Admin(),
            "customer" => TestTokens.Customer(),
            _ => null,
        });
        var errorsBefore = Errors();

        foreach (var contentType in new[] { "application/json; charset=bogus", "application/json; charset=", "application/json; charset=\"\"",
                     "application/json; charset=utf-7", "text/plain; charset=bogus" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new ByteArrayContent("{\"code\":\"x\",\"name\":\"x\"}"u8.ToArray()) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{contentType}: {(int)response.StatusCode} {body}");
            await Problems.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, ShopErrorCodes.UnsupportedMediaType);
        }

        Assert.Equal(errorsBefore, Errors());
    }

    [Fact]
    public async Task A_known_charset_other_than_utf8_still_reads_the_body()
    {
        var host = await clusters.Development;
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes("{\"sub\":\"charset-1\",\"role\":\"customer\",\"minutes\":5}"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-16");
        using var response = await host.CreateClient().PostAsync("/api/dev/token", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private int Errors() => clusters.DevelopmentLogs.Entries.Count(e => e.Level >= LogLevel.Error);
}
