using System.Net.Http.Headers;
using System.Text.Json;
using Refit;

namespace Shop.Client;

/// <summary>An RFC 7807 problem-details response of the Shop API, as a client sees it.</summary>
public sealed record ShopApiProblem(
    int Status,
    string Code,
    string? Title,
    string? Detail,
    string? TraceId,
    IReadOnlyDictionary<string, string[]> Errors)
{
    public const string MediaType = "application/problem+json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The problem carried by a failed Refit call, or null when the response was not problem details.</summary>
    public static ShopApiProblem? FromException(ApiException exception) =>
        Parse(exception.Content, exception.ContentHeaders?.ContentType);

    /// <summary>Reads the problem from a raw response; null when it is not problem details.</summary>
    public static async Task<ShopApiProblem?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return Parse(body, response.Content.Headers.ContentType);
    }

    private static ShopApiProblem? Parse(string? body, MediaTypeHeaderValue? contentType)
    {
        if (string.IsNullOrEmpty(body) || !string.Equals(contentType?.MediaType, MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize<Wire>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }

        if (wire is not { Status: { } status, Code: { } code })
        {
            return null;
        }

        return new ShopApiProblem(status, code, wire.Title, wire.Detail, wire.TraceId,
            wire.Errors ?? new Dictionary<string, string[]>());
    }

    private sealed record Wire(int? Status, string? Code, string? Title, string? Detail, string? TraceId, Dictionary<string, string[]>? Errors);
}
