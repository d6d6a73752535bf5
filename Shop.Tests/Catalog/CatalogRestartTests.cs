using System.Net;
using Npgsql;
using Shop.Client.Catalog;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Catalog;

/// <summary>What one cluster wrote, a brand-new cluster on the same database reads: grain state and read model.</summary>
public sealed class CatalogRestartTests
{
    [Fact]
    public async Task Grain_state_survives_a_full_restart_of_every_silo_and_the_api()
    {
        var connectionString = await TestDatabase.CreateAsync("restart");
        await using var first = await ShopTestCluster.StartAsync(connectionString: connectionString, configure: CatalogClusterFixture.Configure);
        var admin = CatalogClusterFixture.Api(first, TestTokens.Admin());
        var category = await admin.CategoryAsync(name: "Survivors");
        var child = await admin.CategoryAsync(category, "Inner");
        var product = await admin.OnShelfAsync(CatalogSeed.Product(child, name: "Kept across restarts", price: 12_345));
        var edited = CatalogAssert.Ok(await admin.UpdateProductAsync(product.Id, CatalogSeed.Product(child, name: "Edited before restart", price: 23_456)));
        var clusterId = first.ClusterId;
        await first.StopAsync();

        await using var second = new ShopTestCluster(connectionString, clusterId);
        await second.StartSiloAsync();
        await second.StartApiAsync();
        var shop = CatalogClusterFixture.Api(second, null);

        var read = CatalogAssert.Ok(await shop.GetProductAsync(product.Id));
        var readByAdmin = CatalogAssert.Ok(await CatalogClusterFixture.Api(second, TestTokens.Admin()).GetAdminProductAsync(product.Id));
        Assert.Equal(("Edited before restart", 23_456L, child), (read.Name, read.PriceFen, read.CategoryId));
        CatalogAssert.SameProduct(edited, readByAdmin);
        Assert.Equal(3, readByAdmin.Version);

        var tree = CatalogAssert.Ok(await shop.GetCategoryAsync(category));
        Assert.Equal(("Survivors", child), (tree.Name, tree.Children.Single().Id));
        Assert.Equal([product.Id], CatalogAssert.Ok(await shop.ListProductsAsync(categoryId: category)).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task A_read_model_write_that_fails_is_retried_until_the_listing_catches_up()
    {
        var connectionString = await TestDatabase.CreateAsync("converge");
        await using var cluster = await ShopTestCluster.StartAsync(connectionString: connectionString, configure: CatalogClusterFixture.Configure);
        var admin = CatalogClusterFixture.Api(cluster, TestTokens.Admin());
        var shop = CatalogClusterFixture.Api(cluster, null);
        var category = await admin.CategoryAsync();
        var product = await admin.OnShelfAsync(CatalogSeed.Product(category, name: "Original"));

        await ExecuteAsync(connectionString, "ALTER TABLE catalog_products RENAME TO catalog_products_away");
        var updated = await admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "Changed while the read model was down"));
        await ExecuteAsync(connectionString, "ALTER TABLE catalog_products_away RENAME TO catalog_products");

        // The state write succeeded, so the command did; the grain's detail is current at once.
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Changed while the read model was down", CatalogAssert.Ok(await shop.GetProductAsync(product.Id)).Name);
        await Poll.UntilAsync(
            async () => CatalogAssert.Ok(await shop.ListProductsAsync(categoryId: category)).Items.Single().Name,
            name => name == "Changed while the read model was down", TimeSpan.FromSeconds(30), "the listing to catch up");
    }

    [Fact]
    public async Task A_read_model_row_left_behind_when_the_cluster_stopped_is_repaired_by_the_next_activation()
    {
        var connectionString = await TestDatabase.CreateAsync("repair");
        await using var first = await ShopTestCluster.StartAsync(connectionString: connectionString, configure: CatalogClusterFixture.Configure);
        var admin = CatalogClusterFixture.Api(first, TestTokens.Admin());
        var category = await admin.CategoryAsync();
        var product = await admin.OnShelfAsync(CatalogSeed.Product(category, name: "Original"));

        await ExecuteAsync(connectionString, "ALTER TABLE catalog_products RENAME TO catalog_products_away");
        CatalogAssert.Ok(await admin.UpdateProductAsync(product.Id, CatalogSeed.Product(category, name: "Written, never projected")));
        var clusterId = first.ClusterId;
        await first.StopAsync();
        await ExecuteAsync(connectionString, "ALTER TABLE catalog_products_away RENAME TO catalog_products");

        await using var second = new ShopTestCluster(connectionString, clusterId);
        CatalogClusterFixture.Configure(second);
        await second.StartSiloAsync();
        await second.StartApiAsync();
        var shop = CatalogClusterFixture.Api(second, null);
        Assert.Equal("Original", CatalogAssert.Ok(await shop.ListProductsAsync(categoryId: category)).Items.Single().Name);

        // Any read activates the product; the activation sees the read model behind its state and re-projects.
        CatalogAssert.Ok(await shop.GetProductAsync(product.Id));
        await Poll.UntilAsync(
            async () => CatalogAssert.Ok(await shop.ListProductsAsync(categoryId: category)).Items.Single().Name,
            name => name == "Written, never projected", TimeSpan.FromSeconds(30), "the repaired listing");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
