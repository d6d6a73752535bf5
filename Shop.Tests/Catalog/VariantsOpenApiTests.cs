using System.Net;
using System.Text.Json;
using Shop.Tests.Api;

namespace Shop.Tests.Catalog;

/// <summary>The OpenAPI document a client generator reads names SKUs and their spec wherever products are sold.</summary>
[Collection(ApiCollection.Name)]
public sealed class VariantsOpenApiTests(ApiClusters clusters)
{
    [Theory]
    [InlineData("OrderItemRequest", "skuId", "productId", "quantity")]
    [InlineData("OrderLineResponse", "skuId", "productId", "spec", "specText", "unitPriceFen")]
    [InlineData("CartLineResponse", "skuId", "productId", "spec", "specText")]
    [InlineData("ProductRequest", "options", "variants", "priceFen")]
    [InlineData("VariantRequest", "spec", "priceFen", "imageUrl", "barcode", "status")]
    [InlineData("ProductResponse", "options", "variants", "priceFen", "maxPriceFen", "available")]
    [InlineData("VariantResponse", "skuId", "spec", "specText", "priceFen", "onShelf", "available")]
    [InlineData("AdminVariantResponse", "skuId", "spec", "specText", "priceFen", "barcode", "status")]
    [InlineData("ProductSummary", "priceFen", "maxPriceFen", "variantCount", "available")]
    [InlineData("SpecValueResponse", "name", "value")]
    public async Task Schemas_name_the_sku_and_its_spec(string schema, params string[] properties)
    {
        using var document = await DocumentAsync();
        var declared = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(schema).GetProperty("properties");
        Assert.All(properties, p => Assert.True(declared.TryGetProperty(p, out _), $"{schema} lacks '{p}': {declared}"));
    }

    [Theory]
    [InlineData("/api/admin/products/{id}/variants", "post")]
    [InlineData("/api/admin/products/{id}/variants/{skuId}", "put")]
    [InlineData("/api/admin/products/{id}/variants/{skuId}/status", "put")]
    public async Task Variant_routes_are_admin_only_and_document_their_problems(string path, string method)
    {
        using var document = await DocumentAsync();
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.True(operation.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        foreach (var status in new[] { "400", "404", "409" })
        {
            Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{method} {path} does not document {status}");
        }
    }

    private async Task<JsonDocument> DocumentAsync()
    {
        using var response = await (await clusters.Testing).CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
