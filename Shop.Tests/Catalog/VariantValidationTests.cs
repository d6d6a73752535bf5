using System.Net;
using Shop.Client.Catalog;
using static Shop.Tests.Catalog.VariantSeed;

namespace Shop.Tests.Catalog;

/// <summary>Variant rules through HTTP: every broken rule is a 400 naming the field, and nothing is created or changed.</summary>
[Collection(CatalogCollection.Name)]
public sealed class VariantValidationTests(CatalogClusterFixture fixture)
{
    private readonly ICatalogApi _admin = fixture.Admin;

    public static TheoryData<string, string> InvalidProducts => new()
    {
        { "variants[1].spec", "duplicate-spec" },
        { "variants[0].spec", "unknown-option" },
        { "variants[0].spec", "missing-value" },
        { "variants[1].barcode", "duplicate-barcode" },
        { "variants", "too-many" },
        { "variants", "none" },
        { "options", "too-many-options" },
        { "options", "duplicate-option" },
        { "priceFen", "product-price" },
        { "variants[0].priceFen", "no-variant-price" },
        { "variants[0].status", "bad-status" },
        { "variants", "variants-without-options" },
    };

    [Theory]
    [MemberData(nameof(InvalidProducts))]
    public async Task Creating_a_product_with_bad_variants_is_400_naming_the_field(string field, string change)
    {
        var category = await _admin.CategoryAsync();
        var request = TShirt(category);
        request = change switch
        {
            "duplicate-spec" => request with { Variants = [Variant("白", 100), Variant(" 白 ", 200)] },
            "unknown-option" => request with { Variants = [new VariantRequest(new Dictionary<string, string> { ["颜色"] = "白", ["尺寸"] = "L" }, 100)] },
            "missing-value" => request with { Variants = [new VariantRequest(new Dictionary<string, string>(), 100)] },
            "duplicate-barcode" => request with { Variants = [Variant("白", 100, "X1"), Variant("黑", 100, "X1")] },
            "too-many" => request with { Variants = [.. Enumerable.Range(0, 101).Select(i => Variant($"c{i}", 100))] },
            "none" => request with { Variants = [] },
            "too-many-options" => request with { Options = ["a", "b", "c", "d"] },
            "duplicate-option" => request with { Options = ["颜色", "颜色"] },
            "product-price" => request with { PriceFen = 100 },
            "no-variant-price" => request with { Variants = [new VariantRequest(new Dictionary<string, string> { ["颜色"] = "白" }, null)] },
            "bad-status" => request with { Variants = [Variant("白", 100) with { Status = "Sold" }] },
            "variants-without-options" => request with { Options = null, PriceFen = 100 },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        CatalogAssert.Validation(await _admin.CreateProductAsync(request), field);
        var listed = CatalogAssert.Ok(await fixture.Anonymous.ListProductsAsync(categoryId: category));
        Assert.Equal(0, listed.Total);
    }

    [Fact]
    public async Task A_variant_edit_that_breaks_a_rule_is_400_and_leaves_the_product_as_it_was()
    {
        var product = await _admin.DraftAsync(TShirt(await _admin.CategoryAsync()));
        var white = product.Sku("白");

        CatalogAssert.Validation(await _admin.AddVariantAsync(product.Id, Variant("黑", 100)), "spec");
        CatalogAssert.Validation(await _admin.AddVariantAsync(product.Id, Variant("红", 100, "690000000001")), "barcode");
        CatalogAssert.Validation(await _admin.AddVariantAsync(product.Id, Variant("红", 100, size: "L")), "spec");
        CatalogAssert.Validation(await _admin.UpdateVariantAsync(product.Id, white.SkuId, Variant("黑", 100)), "spec");
        CatalogAssert.Validation(await _admin.SetVariantStatusAsync(product.Id, white.SkuId, new VariantStatusRequest("Gone")), "status");
        CatalogAssert.Validation(await _admin.UpdateProductAsync(product.Id, new ProductRequest(product.Name, "", 100, product.CategoryId, Options: ["颜色"])), "priceFen");
        CatalogAssert.Problem(await _admin.UpdateVariantAsync(product.Id, product.Id + ".AAAAAAAA", Variant("红", 100)), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();

        var unchanged = CatalogAssert.Ok(await _admin.GetAdminProductAsync(product.Id));
        Assert.Equal((product.Version, 2), (unchanged.Version, unchanged.Variants.Count));

        // A product without options is a single SKU: it takes no variants.
        var simple = await _admin.DraftAsync(CatalogSeed.Product(product.CategoryId));
        CatalogAssert.Validation(await _admin.AddVariantAsync(simple.Id, new VariantRequest(null, 100)), "options");

        // A valid variant is added under a new SKU id of the product and shows at once.
        var added = Created(await _admin.AddVariantAsync(product.Id, Variant("红", 11_900, "690000000003")));
        var red = added.Sku("红");
        Assert.StartsWith(product.Id + ".", red.SkuId, StringComparison.Ordinal);
        Assert.Equal((3, product.Version + 1, 9_900L), (added.Variants.Count, added.Version, added.PriceFen));
    }
}
