using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Shop.Client;
using Shop.Client.Identity;

namespace Shop.Tests.Api;

/// <summary>
/// Bad input of every kind is a 4xx problem with a code, never a 500. Body errors are exercised on the one JSON
/// route that exists in this foundation (POST /api/dev/token in Development); the handling is route-independent.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorHandlingTests(ApiClusters clusters)
{
    private const string TokenRoute = "/api/dev/token";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Valid_request_to_the_json_route_succeeds()
    {
        var host = await clusters.Development;
        var token = await host.CreateApi().CreateDevTokenAsync(new DevTokenRequest("dev-1", "customer", 5));
        Assert.Equal("Bearer", token.TokenType);
        Assert.InRange(token.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.Equal("dev-1", (await host.CreateApi(token.AccessToken).GetMeAsync()).Sub);
    }

    [Theory]
    [InlineData("{\"sub\": \"u1\", \"role\": ")]
    [InlineData("{\"sub\": \"u1\" \"role\": \"admin\"}")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_is_400_malformed_request(string body)
    {
        var host = await clusters.Development;
        using var response = await host.CreateClient().PostAsync(TokenRoute, Json(body));
        await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ShopErrorCodes.MalformedRequest);
    }

    [Fact]
    public async Task Empty_body_is_400_malformed_request()
    {
        var host = await clusters.Development;
        using var response = await host.CreateClient().PostAsync(TokenRoute, Json(""));
        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ShopErrorCodes.MalformedRequest);
        Assert.Equal("A JSON request body is required.", problem.Detail);
    }

    [Theory]
    [InlineData("{\"sub\": \"u1\", \"role\": \"admin\", \"minutes\": \"sixty\"}", "minutes")]
    [InlineData("{\"sub\": 42, \"role\": \"admin\"}", "sub")]
    [InlineData("{\"sub\": null, \"role\": \"admin\"}", "sub")]
    [InlineData("{\"sub\": \"u1\", \"role\": [\"admin\"]}", "role")]
    [InlineData("{\"sub\": \"u1\", \"role\": \"admin\", \"minutes\": \"60\"}", "minutes")]
    [InlineData("{\"sub\": \"u1\", \"role\": \"admin\", \"minutes\": 1.5}", "minutes")]
    public async Task Wrong_json_types_are_400_naming_the_field(string body, string field)
    {
        var host = await clusters.Development;
        using var response = await host.CreateClient().PostAsync(TokenRoute, Json(body));
        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.Equal([field], problem.Errors.Keys);
    }

    [Fact]
    public async Task Invalid_values_are_400_with_every_field_error()
    {
        var host = await clusters.Development;
        var problem = await Problems.AssertThrowsAsync(
            () => host.CreateApi().CreateDevTokenAsync(new DevTokenRequest(" ", "superuser", 0)),
            HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.Equal(["minutes", "role", "sub"], problem.Errors.Keys.Order());
        Assert.Contains("customer", problem.Errors["role"].Single());
    }

    [Fact]
    public async Task Oversized_body_is_413_problem()
    {
        var host = await clusters.Development;
        var huge = "{\"sub\": \"" + new string('x', 100 * 1024) + "\", \"role\": \"admin\"}";
        using var response = await host.CreateClient().PostAsync(TokenRoute, Json(huge));
        await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, ShopErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task Oversized_chunked_body_is_413_problem()
    {
        var host = await clusters.Development;
        var huge = Encoding.UTF8.GetBytes("{\"sub\": \"" + new string('x', 100 * 1024) + "\", \"role\": \"admin\"}");
        var content = new StreamContent(new UnknownLengthStream(huge));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenRoute) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await host.CreateClient().SendAsync(request);
        await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, ShopErrorCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task Non_json_content_type_is_415_problem()
    {
        var host = await clusters.Development;
        using var response = await host.CreateClient().PostAsync(TokenRoute, new StringContent("sub=u1&role=admin", Encoding.UTF8, "text/plain"));
        await Problems.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, ShopErrorCodes.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/api/no-such-route", "application/json")]
    [InlineData("/nothing/here", "text/html")]
    public async Task Unknown_route_is_404_problem_whatever_the_client_accepts(string path, string accept)
    {
        var host = await clusters.Testing;
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await host.CreateClient().SendAsync(request);
        await Problems.AssertAsync(response, HttpStatusCode.NotFound, ShopErrorCodes.NotFound);
    }

    [Fact]
    public async Task Wrong_method_is_405_problem()
    {
        var host = await clusters.Development;
        using var response = await host.CreateClient().GetAsync(TokenRoute);
        await Problems.AssertAsync(response, HttpStatusCode.MethodNotAllowed, ShopErrorCodes.MethodNotAllowed);
    }

    [Fact]
    public async Task Headers_over_8_KB_are_rejected_by_kestrel()
    {
        var host = await clusters.Testing;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Padding", new string('a', 9 * 1024));
        using var response = await host.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Unhandled_exception_is_500_problem_without_internals_and_logged_with_its_trace_id()
    {
        // Development, where the framework would otherwise show a developer exception page with the stack trace.
        var host = await clusters.Development;

        using var response = await host.CreateClient().GetAsync(ApiClusters.ExplodingRoute);
        var problem = await Problems.AssertAsync(response, HttpStatusCode.InternalServerError, ShopErrorCodes.InternalError);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);

        var logged = Assert.Single(clusters.DevelopmentLogs.Entries,
            e => e.Level == LogLevel.Error && e.Exception?.Message == ApiClusters.ExplodingSecret && e.Message.Contains(problem.TraceId!));
        Assert.Contains(ApiClusters.ExplodingRoute, logged.Message);
    }

    /// <summary>A body whose length the client cannot know up front, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
