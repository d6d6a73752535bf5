using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Shop.Client;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Api;

/// <summary>
/// Generated from the OpenAPI document: every operation with a JSON request body is sent each kind of unusable body,
/// as a caller its security requirement admits, and must answer the problem status the document declares for it.
/// A new JSON route is covered by being documented; there is no list of routes here.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiJsonBodyTests(ApiClusters clusters, ITestOutputHelper output)
{
    private const string Json = "application/json";

    /// <summary>Bodies that can never reach a handler, with the status and code each must get.</summary>
    private static readonly BodyCase[] Cases =
    [
        // Must match what "text/plain; charset=bogus" gets: an unusable Content-Type is the client's problem, never a 500.
        new("bad charset", "{}", "application/json; charset=bogus", HttpStatusCode.UnsupportedMediaType, ShopErrorCodes.UnsupportedMediaType),
        new("empty charset", "{}", "application/json; charset=", HttpStatusCode.UnsupportedMediaType, ShopErrorCodes.UnsupportedMediaType),
        new("missing Content-Type", "{}", null, HttpStatusCode.UnsupportedMediaType, ShopErrorCodes.UnsupportedMediaType),
        new("wrong Content-Type", "{}", "text/plain", HttpStatusCode.UnsupportedMediaType, ShopErrorCodes.UnsupportedMediaType),
        new("malformed JSON", "{\"a\": [1, ", Json, HttpStatusCode.BadRequest, ShopErrorCodes.MalformedRequest),
        // Larger than Api:MaxRequestBodyBytes (64 KiB by default) and otherwise well-formed.
        new("oversized body", "{\"a\": \"" + new string('x', 100 * 1024) + "\"}", Json, HttpStatusCode.RequestEntityTooLarge, ShopErrorCodes.PayloadTooLarge),
    ];

    [Fact]
    public async Task Every_json_operation_answers_unusable_bodies_with_its_documented_problem()
    {
        // Development documents every route the deployed API has, plus the dev token route.
        var host = await clusters.Development;
        using var client = host.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = JsonBodyOperations(document.RootElement).ToList();
        Assert.Contains(operations, o => o.ToString() == "POST /api/dev/token");

        var failures = new List<string>();
        foreach (var operation in operations)
        {
            foreach (var @case in Cases)
            {
                var failure = await CheckAsync(client, operation, @case);
                output.WriteLine($"{operation} {@case.Name}: {failure ?? "ok"}");
                if (failure is not null)
                {
                    failures.Add($"{operation} with {@case.Name}: {failure}");
                }
            }
        }

        Assert.True(failures.Count == 0,
            $"{failures.Count} of {operations.Count * Cases.Length} cases ({operations.Count} operations) failed:\n" + string.Join('\n', failures));
    }

    private static async Task<string?> CheckAsync(HttpClient client, Operation operation, BodyCase @case)
    {
        var status = ((int)@case.Status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetProperty(status, out var declared)
            || !declared.TryGetProperty("content", out var content) || !content.TryGetProperty(ShopApiProblem.MediaType, out _))
        {
            return $"the document declares no {status} {ShopApiProblem.MediaType} response";
        }

        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(@case.Body));
        if (@case.ContentType is not null)
        {
            // Unvalidated, so that what a hostile client sends is exactly what goes on the wire.
            body.Headers.TryAddWithoutValidation("Content-Type", @case.ContentType);
        }

        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), operation.RequestPath) { Content = body };
        if (operation.Role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create("openapi-" + operation.Role, operation.Role));
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != @case.Status)
        {
            return $"expected {status}, got {(int)response.StatusCode}: {Truncate(text)}";
        }

        var problem = await ShopApiProblem.ReadAsync(response);
        return problem is { Code: var code, TraceId.Length: > 0 } && code == @case.Code && problem.Status == (int)@case.Status
            ? null
            : $"expected a {ShopApiProblem.MediaType} body with code {@case.Code} and a traceId, got {response.Content.Headers.ContentType}: {Truncate(text)}";
    }

    /// <summary>Operations whose request body may be JSON, with the role a caller needs (null: anonymous).</summary>
    private static IEnumerable<Operation> JsonBodyOperations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").EnumerateObject().Any(c => c.Name.StartsWith(Json, StringComparison.OrdinalIgnoreCase)))
                {
                    yield return new Operation(operation.Name.ToUpperInvariant(), path.Name, Role(operation.Value), operation.Value.GetProperty("responses"));
                }
            }
        }
    }

    /// <summary>
    /// The least-privileged role the operation's bearer requirement lists (customer before admin), so the request
    /// passes authorization and reaches body handling; null when the operation declares no security.
    /// </summary>
    private static string? Role(JsonElement operation)
    {
        if (!operation.TryGetProperty("security", out var security) || security.GetArrayLength() == 0)
        {
            return null;
        }

        var roles = security.EnumerateArray()
            .SelectMany(requirement => requirement.EnumerateObject())
            .SelectMany(scheme => scheme.Value.EnumerateArray().Select(role => role.GetString()!))
            .ToList();
        Assert.True(roles.Count > 0, $"A secured operation lists no role: {operation}");
        return roles.Contains("customer") ? "customer" : roles.Contains("admin") ? "admin" : roles[0];
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record BodyCase(string Name, string Body, string? ContentType, HttpStatusCode Status, string Code);

    private sealed record Operation(string Method, string Path, string? Role, JsonElement Responses)
    {
        /// <summary>Path parameters get a well-formed placeholder: the body is refused before any handler looks at them.</summary>
        public string RequestPath => System.Text.RegularExpressions.Regex.Replace(Path, "{[^}]+}", "placeholder");

        public override string ToString() => $"{Method} {Path}";
    }
}
