using System.Net;
using Shop.Client.Catalog;

namespace Shop.Tests.Catalog;

/// <summary>Storefront listing through HTTP. Every test works in its own category subtree of the shared cluster.</summary>
[Collection(CatalogCollection.Name)]
public sealed class ProductListingTests(CatalogClusterFixture fixture)
{
    private readonly ICatalogApi _admin = fixture.Admin;
    private readonly ICatalogApi _shop = fixture.Anonymous;

    [Fact]
    public async Task A_category_lists_its_descendants_but_not_its_siblings_and_only_what_is_on_the_shelf()
    {
        var root = await _admin.CategoryAsync();
        var child = await _admin.CategoryAsync(root);
        var grandchild = await _admin.CategoryAsync(child);
        var sibling = await _admin.CategoryAsync();
        var inRoot = await _admin.OnShelfAsync(CatalogSeed.Product(root));
        var inChild = await _admin.OnShelfAsync(CatalogSeed.Product(child));
        var inGrandchild = await _admin.OnShelfAsync(CatalogSeed.Product(grandchild));
        await _admin.OnShelfAsync(CatalogSeed.Product(sibling));
        await _admin.DraftAsync(CatalogSeed.Product(grandchild));
        var offShelf = await _admin.OnShelfAsync(CatalogSeed.Product(child));
        CatalogAssert.Ok(await _admin.SetProductStatusAsync(offShelf.Id, new ProductStatusRequest(ProductStatuses.OffShelf)));
        var deleted = await _admin.OnShelfAsync(CatalogSeed.Product(grandchild));
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteProductAsync(deleted.Id)).StatusCode);

        var all = CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: root, size: 100));
        var middle = CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: child, size: 100));
        var leaf = CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: grandchild, size: 100));

        Assert.Equal(3, all.Total);
        Assert.Equal(new[] { inRoot.Id, inChild.Id, inGrandchild.Id }.Order(), all.Items.Select(i => i.Id).Order());
        Assert.Equal(new[] { inChild.Id, inGrandchild.Id }.Order(), middle.Items.Select(i => i.Id).Order());
        Assert.Equal([inGrandchild.Id], leaf.Items.Select(i => i.Id));
        Assert.All(all.Items, i => Assert.Null(i.Available));
    }

    [Fact]
    public async Task Pages_split_the_listing_without_overlap_and_the_total_counts_everything()
    {
        var category = await _admin.CategoryAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await _admin.OnShelfAsync(CatalogSeed.Product(category, price: 100 + i))).Id);
        }

        var pages = new List<ProductListResponse>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(CatalogAssert.Ok(await _shop.ListProductsAsync(page: page, size: 3, categoryId: category, sort: "price")));
        }

        Assert.All(pages, p => Assert.Equal(7, p.Total));
        Assert.Equal([3, 3, 1, 0], pages.Select(p => p.Items.Count));
        Assert.Equal(ids, pages.SelectMany(p => p.Items).Select(i => i.Id));
        Assert.Equal((2, 3), (pages[1].Page, pages[1].Size));

        var defaults = CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: category));
        Assert.Equal((1, 20, 7), (defaults.Page, defaults.Size, defaults.Items.Count));
    }

    [Fact]
    public async Task Sorting_by_price_both_ways_and_by_newest()
    {
        var category = await _admin.CategoryAsync();
        var created = new List<AdminProductResponse>();
        foreach (var price in new long[] { 500, 100, 900, 300 })
        {
            created.Add(await _admin.OnShelfAsync(CatalogSeed.Product(category, price: price)));
        }

        async Task<long[]> Prices(string? sort) =>
            [.. CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: category, sort: sort)).Items.Select(i => i.PriceFen)];

        Assert.Equal(new long[] { 100, 300, 500, 900 }, await Prices("price"));
        Assert.Equal(new long[] { 900, 500, 300, 100 }, await Prices("-price"));
        Assert.Equal(new long[] { 300, 900, 100, 500 }, await Prices("newest"));
        Assert.Equal(new long[] { 300, 900, 100, 500 }, await Prices(null));
    }

    [Fact]
    public async Task The_keyword_matches_name_or_description_case_insensitively_and_its_wildcards_are_literal()
    {
        var category = await _admin.CategoryAsync();
        var tea = await _admin.OnShelfAsync(CatalogSeed.Product(category, name: "Longjing Green TEA", description: "Spring harvest"));
        var cup = await _admin.OnShelfAsync(CatalogSeed.Product(category, name: "Porcelain cup", description: "For green tea lovers"));
        var cotton = await _admin.OnShelfAsync(CatalogSeed.Product(category, name: "100% cotton_shirt", description: "Soft"));
        await _admin.OnShelfAsync(CatalogSeed.Product(category, name: "1000 cotton shirts", description: "Bulk"));

        async Task<IEnumerable<string>> Find(string q) =>
            CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: category, q: q, sort: "price")).Items.Select(i => i.Id).Order();

        Assert.Equal(new[] { tea.Id, cup.Id }.Order(), await Find("green tea"));
        Assert.Equal([tea.Id], await Find("LONGJING"));
        Assert.Equal([cotton.Id], await Find("100%"));
        Assert.Equal([cotton.Id], await Find("n_s"));
        Assert.Equal([cotton.Id], await Find("%"));
        Assert.Empty(await Find("nothing like this"));
    }

    [Fact]
    public async Task Changes_and_deletion_show_in_the_listing_right_after_the_command_returns()
    {
        var category = await _admin.CategoryAsync();
        var product = await _admin.OnShelfAsync(CatalogSeed.Product(category, name: "Before"));

        CatalogAssert.Ok(await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "After", price: 42)));
        var listed = Assert.Single(CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: category)).Items);
        Assert.Equal(("After", 42L), (listed.Name, listed.PriceFen));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteProductAsync(product.Id)).StatusCode);
        Assert.Equal(0, CatalogAssert.Ok(await _shop.ListProductsAsync(categoryId: category)).Total);
    }

    [Theory]
    [InlineData("page", 0, null, null, null)]
    [InlineData("size", null, 0, null, null)]
    [InlineData("size", null, 101, null, null)]
    [InlineData("sort", null, null, "cheapest", null)]
    [InlineData("categoryId", null, null, null, "c_bad")]
    public async Task Bad_listing_parameters_are_400_naming_them(string field, int? page, int? size, string? sort, string? categoryId)
    {
        CatalogAssert.Validation(await _shop.ListProductsAsync(page: page, size: size, sort: sort, categoryId: categoryId), field);
    }

    [Fact]
    public async Task Non_numeric_paging_and_a_too_long_keyword_are_400()
    {
        using var http = fixture.Cluster.CreateClient();
        var response = await http.GetAsync($"/api/products?page=abc&size=1.5&q={new string('q', 101)}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"VALIDATION_FAILED\"", body);
        Assert.Contains("\"page\"", body);
        Assert.Contains("\"size\"", body);
        Assert.Contains("\"q\"", body);
    }

    [Fact]
    public async Task An_unknown_category_is_404()
    {
        var response = await _shop.ListProductsAsync(categoryId: "c_" + new string('A', 22));

        CatalogAssert.Problem(response, HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
    }
}
