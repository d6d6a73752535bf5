using System.Net;
using Shop.Client.Catalog;

namespace Shop.Tests.Catalog;

[Collection(CatalogCollection.Name)]
public sealed class CategoryTreeTests(CatalogClusterFixture fixture)
{
    private readonly ICatalogApi _admin = fixture.Admin;
    private readonly ICatalogApi _shop = fixture.Anonymous;

    [Fact]
    public async Task Categories_nest_and_the_storefront_sees_the_tree_sorted_by_name()
    {
        var tea = await _admin.CategoryAsync(name: "Tea " + Guid.NewGuid().ToString("N")[..6]);
        var green = await _admin.CategoryAsync(tea, "Green");
        var black = await _admin.CategoryAsync(tea, "Black");
        var longjing = await _admin.CategoryAsync(green, "Longjing");

        var tree = CatalogAssert.Ok(await _shop.GetCategoriesAsync());
        var node = Assert.Single(tree.Categories, c => c.Id == tea);
        var subtree = CatalogAssert.Ok(await _shop.GetCategoryAsync(tea));

        Assert.Equal([black, green], node.Children.Select(c => c.Id));
        Assert.Equal([longjing], node.Children[1].Children.Select(c => c.Id));
        Assert.Equal(green, node.Children[1].Children[0].ParentId);
        Assert.Equal(node, subtree, NodeComparer.Instance);
    }

    [Fact]
    public async Task Rename_and_move_including_to_the_root_and_the_tree_version_moves_on()
    {
        var a = await _admin.CategoryAsync();
        var b = await _admin.CategoryAsync();
        var child = await _admin.CategoryAsync(a, "Child");
        var before = CatalogAssert.Ok(await _shop.GetCategoriesAsync()).Version;

        var renamed = CatalogAssert.Ok(await _admin.UpdateCategoryAsync(child, new UpdateCategoryRequest(Name: "  Renamed ")));
        var moved = CatalogAssert.Ok(await _admin.UpdateCategoryAsync(child, new UpdateCategoryRequest(ParentId: b)));
        Assert.Equal(("Renamed", a), (renamed.Name, renamed.ParentId));
        Assert.Equal(("Renamed", b), (moved.Name, moved.ParentId));
        Assert.Empty(CatalogAssert.Ok(await _shop.GetCategoryAsync(a)).Children);
        Assert.Equal([child], CatalogAssert.Ok(await _shop.GetCategoryAsync(b)).Children.Select(c => c.Id));

        var toRoot = CatalogAssert.Ok(await _admin.UpdateCategoryAsync(child, new UpdateCategoryRequest(MoveToRoot: true)));
        Assert.Null(toRoot.ParentId);
        Assert.Contains(CatalogAssert.Ok(await _shop.GetCategoriesAsync()).Categories, c => c.Id == child);
        Assert.Equal(before + 3, CatalogAssert.Ok(await _shop.GetCategoriesAsync()).Version);
    }

    [Fact]
    public async Task A_move_under_itself_or_a_descendant_is_refused_as_a_cycle()
    {
        var top = await _admin.CategoryAsync();
        var middle = await _admin.CategoryAsync(top);
        var bottom = await _admin.CategoryAsync(middle);

        CatalogAssert.Problem(await _admin.UpdateCategoryAsync(top, new UpdateCategoryRequest(ParentId: bottom)), HttpStatusCode.Conflict, "CATEGORY_CYCLE").Dispose();
        CatalogAssert.Problem(await _admin.UpdateCategoryAsync(top, new UpdateCategoryRequest(ParentId: middle)), HttpStatusCode.Conflict, "CATEGORY_CYCLE").Dispose();
        CatalogAssert.Problem(await _admin.UpdateCategoryAsync(middle, new UpdateCategoryRequest(ParentId: middle)), HttpStatusCode.Conflict, "CATEGORY_CYCLE").Dispose();

        var unchanged = CatalogAssert.Ok(await _shop.GetCategoryAsync(top));
        Assert.Equal(bottom, unchanged.Children.Single().Children.Single().Id);
        Assert.Null(unchanged.ParentId);
    }

    [Fact]
    public async Task A_category_with_subcategories_or_products_cannot_be_deleted_until_they_are_gone()
    {
        var parent = await _admin.CategoryAsync();
        var child = await _admin.CategoryAsync(parent);
        var draft = await _admin.DraftAsync(CatalogSeed.Product(child));

        CatalogAssert.Problem(await _admin.DeleteCategoryAsync(parent), HttpStatusCode.Conflict, "CATEGORY_IN_USE").Dispose();
        CatalogAssert.Problem(await _admin.DeleteCategoryAsync(child), HttpStatusCode.Conflict, "CATEGORY_IN_USE").Dispose();

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteProductAsync(draft.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteCategoryAsync(child)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteCategoryAsync(parent)).StatusCode);
        CatalogAssert.Problem(await _shop.GetCategoryAsync(parent), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
        CatalogAssert.Problem(await _admin.DeleteCategoryAsync(parent), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
    }

    [Fact]
    public async Task A_product_moved_out_frees_its_old_category_and_cannot_move_into_a_deleted_one()
    {
        var from = await _admin.CategoryAsync();
        var to = await _admin.CategoryAsync();
        var product = await _admin.DraftAsync(CatalogSeed.Product(from));
        CatalogAssert.Ok(await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(to)));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteCategoryAsync(from)).StatusCode);
        CatalogAssert.Validation(await _admin.UpdateProductAsync(product.Id, CatalogSeed.Product(from)), "categoryId");
        CatalogAssert.Validation(await _admin.CreateProductAsync(CatalogSeed.Product(from)), "categoryId");
    }

    [Fact]
    public async Task Sibling_names_are_unique_ignoring_case()
    {
        var parent = await _admin.CategoryAsync();
        await _admin.CategoryAsync(parent, "Oolong");
        var other = await _admin.CategoryAsync(parent, "Black");

        CatalogAssert.Problem(await _admin.CreateCategoryAsync(new CreateCategoryRequest("OOLONG", parent)), HttpStatusCode.Conflict, "CATEGORY_NAME_TAKEN").Dispose();
        CatalogAssert.Problem(await _admin.UpdateCategoryAsync(other, new UpdateCategoryRequest(Name: "oolong")), HttpStatusCode.Conflict, "CATEGORY_NAME_TAKEN").Dispose();
        Assert.Equal(HttpStatusCode.Created, (await _admin.CreateCategoryAsync(new CreateCategoryRequest("Oolong", other))).StatusCode);
    }

    [Fact]
    public async Task Bad_category_input_is_400_naming_the_field_and_unknown_ids_are_404()
    {
        var existing = await _admin.CategoryAsync();
        var unknown = "c_" + new string('w', 22);

        CatalogAssert.Validation(await _admin.CreateCategoryAsync(new CreateCategoryRequest("   ")), "name");
        CatalogAssert.Validation(await _admin.CreateCategoryAsync(new CreateCategoryRequest(new string('n', 51))), "name");
        CatalogAssert.Validation(await _admin.CreateCategoryAsync(new CreateCategoryRequest("x", "bad-parent")), "parentId");
        CatalogAssert.Validation(await _admin.CreateCategoryAsync(new CreateCategoryRequest("x", unknown)), "parentId");
        CatalogAssert.Validation(await _admin.UpdateCategoryAsync(existing, new UpdateCategoryRequest()), "name");
        CatalogAssert.Validation(await _admin.UpdateCategoryAsync(existing, new UpdateCategoryRequest(ParentId: existing, MoveToRoot: true)), "parentId");
        CatalogAssert.Validation(await _admin.UpdateCategoryAsync("nope", new UpdateCategoryRequest(Name: "x")), "id");
        CatalogAssert.Validation(await _admin.DeleteCategoryAsync("nope"), "id");
        CatalogAssert.Validation(await _shop.GetCategoryAsync("nope"), "id");
        CatalogAssert.Problem(await _admin.UpdateCategoryAsync(unknown, new UpdateCategoryRequest(Name: "x")), HttpStatusCode.NotFound, "NOT_FOUND").Dispose();
    }

    private sealed class NodeComparer : IEqualityComparer<CategoryNode>
    {
        public static readonly NodeComparer Instance = new();

        public bool Equals(CategoryNode? x, CategoryNode? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Name == y.Name && x.ParentId == y.ParentId &&
            x.Children.Count == y.Children.Count && x.Children.Zip(y.Children).All(p => Equals(p.First, p.Second));

        public int GetHashCode(CategoryNode obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
