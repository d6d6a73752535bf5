using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Shop.Tests.Inventory;

/// <summary>Raw HTTP helpers for the admin stock routes: what the typed client can't send (bad bodies, bad or missing keys).</summary>
public static class StockRequests
{
    public const string KeyHeader = "Idempotency-Key";

    /// <summary>A POST of <paramref name="body"/> (JSON text, or an object to serialize) with the key header unless it is null.</summary>
    public static HttpRequestMessage Adjust(string productId, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/products/{productId}/stock")
        {
            Content = body is string json ? new StringContent(json, Encoding.UTF8, "application/json") : JsonContent.Create(body),
        };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(KeyHeader, key);
        }

        return request;
    }

    public static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("VALIDATION_FAILED", problem.RootElement.GetProperty("code").GetString());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors name '{field}': {errors}");
    }

    /// <summary>The audit rows of one SKU, oldest first.</summary>
    public static async Task<List<(long Delta, string Reason, string Operator)>> AuditAsync(string connectionString, string sku)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT delta, reason, operator FROM inventory_adjustments WHERE sku = $1 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    /// <summary>The Idempotency-Key of each audit row of one SKU, oldest first.</summary>
    public static async Task<List<string?>> AuditKeysAsync(string connectionString, string sku)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT idempotency_key FROM inventory_adjustments WHERE sku = $1 ORDER BY id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sku });
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string?>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return keys;
    }
}
