using System.Net;
using System.Text.Json;
using Refit;
using Shop.Client.Catalog;

namespace Shop.Tests.Catalog;

/// <summary>Assertions on RFC 7807 responses: status, stable <c>code</c>, and the fields a validation problem names.</summary>
public static class CatalogAssert
{
    public static void Validation(IApiResponse response, params string[] fields)
    {
        using var problem = Problem(response, HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var errors = problem.RootElement.GetProperty("errors");
        foreach (var field in fields)
        {
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0,
                $"Expected an error for '{field}' in {errors}");
        }
    }

    public static JsonDocument Problem(IApiResponse response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentHeaders?.ContentType?.MediaType);
        var body = (response.Error as ApiException)?.Content ?? throw new Xunit.Sdk.XunitException("No problem body");
        var document = JsonDocument.Parse(body);
        Assert.Equal(code, document.RootElement.GetProperty("code").GetString());
        return document;
    }

    /// <summary>
    /// Two answers describe the same product (records hold lists, which compare by reference: the attributes, options
    /// and variants are compared by value here).
    /// </summary>
    public static void SameProduct(AdminProductResponse expected, AdminProductResponse actual)
    {
        Assert.Equal(expected, actual with { Attributes = expected.Attributes, Options = expected.Options, Variants = expected.Variants });
        Assert.Equal(expected.Attributes.OrderBy(a => a.Key), actual.Attributes.OrderBy(a => a.Key));
        Assert.Equal(expected.Options, actual.Options);
        Assert.Equal(expected.Variants.Select(v => (v.SkuId, v.SpecText, v.PriceFen, v.ImageUrl, v.Barcode, v.Status)),
            actual.Variants.Select(v => (v.SkuId, v.SpecText, v.PriceFen, v.ImageUrl, v.Barcode, v.Status)));
    }

    public static T Ok<T>(IApiResponse<T> response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {(response.Error as ApiException)?.Content}");
        return response.Content!;
    }
}
