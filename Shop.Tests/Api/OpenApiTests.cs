using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shop.Client;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed partial class OpenApiTests(ApiClusters clusters)
{
    private static readonly string[] InfrastructurePrefixes = ["/health", "/metrics", "/openapi", "/scalar", "/api/dev", "/.well-known"];

    [Fact]
    public async Task Document_lists_exactly_the_mapped_routes()
    {
        var host = await clusters.Testing;
        using var document = await GetDocumentAsync(host);

        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .Order()
            .ToArray();
        var mapped = host.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.Trim('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => !InfrastructurePrefixes.Any(e.Route.StartsWith))
            .SelectMany(e => e.Methods.Select(m => $"{m} {ParameterConstraint().Replace(e.Route, "}")}"))
            .Distinct()
            .Order()
            .ToArray();

        Assert.NotEmpty(mapped);
        Assert.Equal(mapped, documented);
    }

    [Fact]
    public async Task Document_describes_bearer_security_and_problem_responses()
    {
        var host = await clusters.Testing;
        using var document = await GetDocumentAsync(host);
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        AssertProblemSchema(root, "ProblemDetails");

        var me = root.GetProperty("paths").GetProperty("/api/me").GetProperty("get");
        Assert.True(me.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        Assert.True(me.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        foreach (var status in new[] { "401", "403", "429", "500" })
        {
            Assert.True(me.GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty(ShopApiProblem.MediaType, out _), status);
        }
    }

    [Theory]
    [InlineData("/api/orders", "post")]
    [InlineData("/api/admin/orders/{orderNo}/refunds", "post")]
    [InlineData("/api/admin/products/{id}/stock", "post")]
    public async Task Idempotent_operations_declare_the_required_key_header_with_its_rule(string path, string method)
    {
        using var document = await GetDocumentAsync(await clusters.Testing);
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

        var header = Assert.Single(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.True(header.GetProperty("required").GetBoolean());
        var schema = header.GetProperty("schema");
        Assert.Equal(1, schema.GetProperty("minLength").GetInt32());
        Assert.Equal(64, schema.GetProperty("maxLength").GetInt32());
        var pattern = new Regex(schema.GetProperty("pattern").GetString()!);
        Assert.Matches(pattern, Guid.NewGuid().ToString());
        Assert.Matches(pattern, new string('~', 64));
        Assert.DoesNotMatch(pattern, "has space");
        Assert.DoesNotMatch(pattern, "é");
        Assert.DoesNotMatch(pattern, new string('a', 65));
    }

    [Fact]
    public async Task Operations_state_who_may_call_them_with_roles()
    {
        using var document = await GetDocumentAsync(await clusters.Testing);
        var paths = document.RootElement.GetProperty("paths");

        string[] Roles(string path, string method) => paths.GetProperty(path).GetProperty(method).GetProperty("security")
            .EnumerateArray().SelectMany(r => r.GetProperty("Bearer").EnumerateArray()).Select(r => r.GetString()!).Order().ToArray();

        Assert.Equal(["admin", "customer"], Roles("/api/orders", "post"));
        Assert.Equal(["admin"], Roles("/api/admin/orders", "get"));
        Assert.Equal(0, paths.GetProperty("/api/products").GetProperty("get").GetProperty("security").GetArrayLength());
        Assert.Equal(0, paths.GetProperty("/api/auth/wechat/login").GetProperty("post").GetProperty("security").GetArrayLength());
    }

    [Fact]
    public async Task WeChat_notify_documents_its_fail_answers_and_no_rate_limit()
    {
        using var document = await GetDocumentAsync(await clusters.Testing);
        var notify = document.RootElement.GetProperty("paths").GetProperty("/api/payments/wechat/notify").GetProperty("post");
        var responses = notify.GetProperty("responses");

        Assert.Equal(0, notify.GetProperty("security").GetArrayLength());
        Assert.False(responses.TryGetProperty("429", out _));
        Assert.False(responses.GetProperty("204").TryGetProperty("content", out _));
        foreach (var status in new[] { "400", "401", "404", "413", "500", "503" })
        {
            var schema = responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.Equal("#/components/schemas/WeChatPayNotifyFailure", schema.GetProperty("$ref").GetString());
        }

        // The pipeline's own answers (Kestrel's body limit, payments off, an unhandled error) stay problem details.
        foreach (var status in new[] { "413", "500", "503" })
        {
            Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty(ShopApiProblem.MediaType, out _), status);
        }

        var failure = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("WeChatPayNotifyFailure");
        Assert.Equal(["code", "message"], failure.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Dev_token_route_exists_only_in_development()
    {
        var production = await clusters.Testing;
        using (var document = await GetDocumentAsync(production))
        {
            Assert.False(document.RootElement.GetProperty("paths").TryGetProperty("/api/dev/token", out _));
        }

        using (var response = await production.CreateClient().PostAsync("/api/dev/token", null))
        {
            await Problems.AssertAsync(response, HttpStatusCode.NotFound, ShopErrorCodes.NotFound);
        }

        var development = await clusters.Development;
        using (var document = await GetDocumentAsync(development))
        {
            var post = document.RootElement.GetProperty("paths").GetProperty("/api/dev/token").GetProperty("post");
            Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
            Assert.True(post.GetProperty("responses").GetProperty("400").GetProperty("content").TryGetProperty(ShopApiProblem.MediaType, out _));
            // Anonymous: stated as "no security", not left out.
            Assert.Equal(0, post.GetProperty("security").GetArrayLength());
            AssertProblemSchema(document.RootElement, "HttpValidationProblemDetails");
        }
    }

    [Fact]
    public async Task Scalar_ui_is_served_only_in_development()
    {
        using (var response = await (await clusters.Development).CreateClient().GetAsync("/scalar"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        using var production = await (await clusters.Testing).CreateClient().GetAsync("/scalar");
        await Problems.AssertAsync(production, HttpStatusCode.NotFound, ShopErrorCodes.NotFound);
    }

    private static void AssertProblemSchema(JsonElement document, string name)
    {
        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty(name).GetProperty("properties");
        Assert.True(properties.TryGetProperty("code", out _), name);
        Assert.True(properties.TryGetProperty("traceId", out _), name);
    }

    private static async Task<JsonDocument> GetDocumentAsync(ShopTestCluster host)
    {
        using var response = await host.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Route constraints (<c>{id:int}</c>) do not appear in OpenAPI paths (<c>{id}</c>).</summary>
    [GeneratedRegex(@":[^}]*}")]
    private static partial Regex ParameterConstraint();
}
