using System.Net;
using Shop.Client.Catalog;

namespace Shop.Tests.Catalog;

[Collection(CatalogCollection.Name)]
public sealed class ProductValidationTests(CatalogClusterFixture fixture)
{
    private readonly ICatalogApi _admin = fixture.Admin;

    public static TheoryData<string, string> InvalidProducts => new()
    {
        { "name", "name:a" },
        { "name", "name:   a   " },
        { "name", "name:" + new string('n', 51) },
        { "name", "name:" },
        { "description", "description:" + new string('d', 2_001) },
        { "priceFen", "price:null" },
        { "priceFen", "price:0" },
        { "priceFen", "price:-5" },
        { "priceFen", "price:100000001" },
        { "categoryId", "category:null" },
        { "categoryId", "category:not-a-category" },
        { "categoryId", "category:unknown" },
        { "attributes", "attributes:51" },
        { "attributes", "attributes:emptykey" },
        { "attributes", "attributes:longkey" },
        { "attributes", "attributes:longvalue" },
        { "imageUrl", "image:/relative/p.jpg" },
        { "imageUrl", "image:ftp://img.example.com/p.jpg" },
        { "imageUrl", "image:javascript:alert(1)" },
        { "imageUrl", "image:https://" + new string('x', 2_050) + ".com/p.jpg" },
    };

    [Theory]
    [MemberData(nameof(InvalidProducts))]
    public async Task Creating_a_product_that_breaks_a_rule_is_400_naming_the_field(string field, string change)
    {
        var category = await _admin.CategoryAsync();
        var request = Apply(CatalogSeed.Product(category), change);

        CatalogAssert.Validation(await _admin.CreateProductAsync(request), field);
    }

    [Theory]
    [MemberData(nameof(InvalidProducts))]
    public async Task Updating_a_product_with_a_broken_rule_is_400_naming_the_field_and_changes_nothing(string field, string change)
    {
        var category = await _admin.CategoryAsync();
        var product = await _admin.DraftAsync(CatalogSeed.Product(category));

        CatalogAssert.Validation(await _admin.UpdateProductAsync(product.Id, Apply(CatalogSeed.Product(category), change)), field);

        var unchanged = CatalogAssert.Ok(await _admin.GetAdminProductAsync(product.Id));
        Assert.Equal(product.Version, unchanged.Version);
        Assert.Equal(product.Name, unchanged.Name);
    }

    [Fact]
    public async Task Every_failing_field_is_named_at_once()
    {
        var response = await _admin.CreateProductAsync(new ProductRequest("x", new string('d', 2_001), 0, "bad", null, "nope"));

        CatalogAssert.Validation(response, "name", "description", "priceFen", "categoryId", "imageUrl");
    }

    [Theory]
    [InlineData("priceFen", "\"1999\"")]
    [InlineData("priceFen", "19.99")]
    [InlineData("name", "42")]
    [InlineData("attributes", "[\"red\"]")]
    public async Task A_field_of_the_wrong_JSON_type_is_400_naming_it(string field, string json)
    {
        var category = await _admin.CategoryAsync();
        using var http = fixture.Cluster.CreateClient(Infrastructure.TestTokens.Admin());
        var body = $$"""{"name":"Tea","priceFen":100,"categoryId":"{{category}}","{{field}}":{{json}}}""";

        using var response = await http.PostAsync("/api/admin/products", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await Shop.Client.ShopApiProblem.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_FAILED", problem?.Code);
        Assert.Contains(field, problem!.Errors.Keys);
    }

    [Fact]
    public async Task Values_on_the_limits_are_accepted_and_trimmed()
    {
        var category = await _admin.CategoryAsync();
        var attributes = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", i => new string('v', 500));
        var longest = await _admin.DraftAsync(new ProductRequest(
            "  " + new string('n', 50) + "  ", new string('d', 2_000), 100_000_000, category, attributes, "http://img.example.com/a.png"));
        var shortest = await _admin.DraftAsync(new ProductRequest("ab", null, 1, category));

        Assert.Equal(new string('n', 50), longest.Name);
        Assert.Equal(50, longest.Attributes.Count);
        Assert.Equal(100_000_000, longest.PriceFen);
        Assert.Equal("ab", shortest.Name);
        Assert.Equal("", shortest.Description);
        Assert.Null(shortest.ImageUrl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Draft")]
    [InlineData("onshelf")]
    [InlineData("Sold")]
    public async Task A_status_other_than_OnShelf_or_OffShelf_is_400_naming_status(string? status)
    {
        var product = await _admin.DraftAsync(CatalogSeed.Product(await _admin.CategoryAsync()));

        CatalogAssert.Validation(await _admin.SetProductStatusAsync(product.Id, new ProductStatusRequest(status)), "status");
    }

    [Fact]
    public async Task Malformed_ids_in_admin_routes_are_400_naming_id()
    {
        var request = CatalogSeed.Product(await _admin.CategoryAsync());

        CatalogAssert.Validation(await _admin.GetAdminProductAsync("p_short"), "id");
        CatalogAssert.Validation(await _admin.UpdateProductAsync("nope", request), "id");
        CatalogAssert.Validation(await _admin.SetProductStatusAsync("nope", new ProductStatusRequest(ProductStatuses.OnShelf)), "id");
        CatalogAssert.Validation(await _admin.DeleteProductAsync("nope"), "id");
        CatalogAssert.Validation(await _admin.UpdateProductAsync((await _admin.DraftAsync(request)).Id, request, ifMatch: "\"abc\""), "If-Match");
    }

    [Fact]
    public async Task Admin_routes_need_the_admin_role()
    {
        var request = CatalogSeed.Product(await _admin.CategoryAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous.CreateProductAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Customer.CreateProductAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Customer.CreateCategoryAsync(new CreateCategoryRequest("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous.DeleteCategoryAsync("c_AAAAAAAAAAAAAAAAAAAAAA")).StatusCode);
    }

    private static ProductRequest Apply(ProductRequest request, string change)
    {
        var colon = change.IndexOf(':');
        var (what, value) = (change[..colon], change[(colon + 1)..]);
        return what switch
        {
            "name" => request with { Name = value },
            "description" => request with { Description = value },
            "price" => request with { PriceFen = value == "null" ? null : long.Parse(value) },
            "category" => request with
            {
                CategoryId = value switch { "null" => null, "unknown" => "c_" + new string('Q', 22), _ => value },
            },
            "attributes" => request with
            {
                Attributes = value switch
                {
                    "51" => Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v"),
                    "emptykey" => new Dictionary<string, string> { ["  "] = "v" },
                    "longkey" => new Dictionary<string, string> { [new string('k', 51)] = "v" },
                    _ => new Dictionary<string, string> { ["k"] = new string('v', 501) },
                },
            },
            "image" => request with { ImageUrl = value },
            _ => throw new ArgumentException(change),
        };
    }
}
