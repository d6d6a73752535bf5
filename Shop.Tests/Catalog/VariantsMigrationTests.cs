using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Providers;
using Orleans.Storage;
using Shop.Client.Catalog;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Orders;
using Shop.Silo.Database;
using Shop.Tests.Cart;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Catalog;

/// <summary>
/// Data from before variants keeps working: a product, its read-model row and its orders (paid and unpaid) stored in
/// the shape the code before variants wrote, on a database upgraded by deploy/sql/0040. Each product becomes a product
/// with one variant whose SKU id is the product id, and stock and orders keep working on that id.
/// </summary>
public sealed class VariantsMigrationTests
{
    [Fact]
    public async Task A_product_and_its_orders_from_before_variants_keep_working_on_the_same_ids_after_the_migration()
    {
        var connectionString = await TestDatabase.CreateAsync("variants_mig");
        await MigrateBeforeVariantsAsync(connectionString);
        var productId = ProductId.New();
        var categoryId = CategoryId.New();
        var created = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        await ExecuteAsync(connectionString, """
            INSERT INTO catalog_products (id, name, description, price_fen, category_id, attributes, image_url, status, deleted, created_at, updated_at, version)
            VALUES (@id, 'Longjing 250 g', 'Spring harvest', 12800, @category, '{}', NULL, 'OnShelf', false, @created, @created, 2)
            """, ("id", productId), ("category", categoryId), ("created", created.UtcDateTime));

        // First run: the product grain's state row as the code before variants stored it; orders made on it.
        string paid, unpaid, toCancel;
        var customer = TestTokens.Customer("wx:legacy-" + Guid.NewGuid().ToString("N"));
        await using (var first = await ShopTestCluster.StartAsync(connectionString: connectionString))
        {
            await WriteLegacyProductAsync(first, new LegacyProductState
            {
                Product = new LegacyProduct(productId,
                    new LegacyContent("Longjing 250 g", "Spring harvest", 12_800, categoryId, ImmutableSortedDictionary<string, string>.Empty, null),
                    ProductStatus.OnShelf, false, created, created, 2),
            });
            await VariantSeed.RestockAsync(first, productId, 10);
            var orders = first.Orders(customer);
            paid = (await orders.CreateAsync(Request((productId, 1)))).OrderNo;
            unpaid = (await orders.CreateAsync(Request((productId, 2)))).OrderNo;
            toCancel = (await orders.CreateAsync(Request((productId, 3)))).OrderNo;
            Assert.Equal(OrderStatus.Paid, (await first.Grains.GetGrain<IOrderGrain>(paid).MarkPaidAsync(new PaymentReceipt("4200000001", 12_800, DateTimeOffset.UtcNow))).Order!.Status);
        }

        // Their stored lines as before variants: no skuId, no spec.
        Assert.Equal(3, await ExecuteAsync(connectionString, """
            UPDATE orders SET state = jsonb_set(state, '{lines}', (SELECT jsonb_agg(l - 'skuId' - 'spec') FROM jsonb_array_elements(state->'lines') l))
            WHERE order_no = ANY(@nos)
            """, ("nos", new[] { paid, unpaid, toCancel })));

        await using var second = await ShopTestCluster.StartAsync(connectionString: connectionString);
        var shopper = second.Orders(customer);
        var detail = CatalogAssert.Ok(await VariantSeed.Anonymous(second).GetProductAsync(productId));
        var only = Assert.Single(detail.Variants);
        Assert.Equal((productId, 12_800L, true, 4L, ""), (only.SkuId, only.PriceFen, only.OnShelf, only.Available, only.SpecText));
        Assert.Equal((12_800L, 12_800L, 4L), (detail.PriceFen, detail.MaxPriceFen, detail.Available));
        var listed = CatalogAssert.Ok(await VariantSeed.Anonymous(second).ListProductsAsync(q: "Longjing")).Items.Single();
        Assert.Equal((productId, 12_800L, 12_800L, 1), (listed.Id, listed.PriceFen, listed.MaxPriceFen, listed.VariantCount));

        foreach (var (orderNo, quantity) in new[] { (paid, 1), (unpaid, 2), (toCancel, 3) })
        {
            var line = Ok(await shopper.GetOrderAsync(orderNo)).Lines.Single();
            Assert.Equal((productId, productId, quantity, 12_800L, ""), (line.SkuId, line.ProductId, line.Quantity, line.UnitPriceFen, line.SpecText));
        }

        // The unpaid order pays and the other cancels, on the same SKU id: sold 1 + 2, 3 back on the shelf.
        Assert.Equal(OrderStatus.Paid, (await second.Grains.GetGrain<IOrderGrain>(unpaid).MarkPaidAsync(new PaymentReceipt("4200000002", 25_600, DateTimeOffset.UtcNow))).Order!.Status);
        Assert.Equal(OrderStatuses.Cancelled, Ok(await shopper.CancelOrderAsync(toCancel)).Status);
        var stock = await second.StockAsync(productId);
        Assert.Equal((7L, 0L, 3L), (stock.Available, stock.Reserved, stock.Sold));

        // The product takes edits and new orders by its id as its SKU; orders already made keep their price.
        var admin = second.Admin();
        var edited = CatalogAssert.Ok(await admin.UpdateProductAsync(productId, new ProductRequest("Longjing 250 g", "Spring harvest", 13_800, categoryId)));
        Assert.Equal((productId, 13_800L, 3L), (Assert.Single(edited.Variants).SkuId, edited.Variants[0].PriceFen, edited.Version));
        var next = await shopper.CreateAsync(Request() with { Items = [new OrderItemRequest(null, 1, productId)] });
        Assert.Equal((productId, 13_800L), (next.Lines[0].SkuId, next.Lines[0].UnitPriceFen));
        Assert.Equal(12_800L, Ok(await shopper.GetOrderAsync(unpaid)).Lines[0].UnitPriceFen);
    }

    private static async Task MigrateBeforeVariantsAsync(string connectionString)
    {
        var directory = Directory.CreateTempSubdirectory("sql-before-variants");
        try
        {
            foreach (var script in Directory.GetFiles(SchemaMigrator.DefaultScriptDirectory, "*.sql").Where(f => string.CompareOrdinal(Path.GetFileName(f), "0040") < 0))
            {
                File.Copy(script, Path.Combine(directory.FullName, Path.GetFileName(script)));
            }

            await new SchemaMigrator(connectionString, directory.FullName, NullLogger.Instance).MigrateAsync();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Writes the product grain's "product" state through the silo's own grain storage, before the grain ever activates.</summary>
    private static async Task WriteLegacyProductAsync(ShopTestCluster cluster, LegacyProductState state)
    {
        var storage = cluster.Silos[0].App.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
        var grainId = cluster.Grains.GetGrain<IProductGrain>(state.Product!.Id).GetGrainId();
        await storage.WriteStateAsync("product", grainId, new GrainState<LegacyProductState>(state));
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    // The product state exactly as the code before variants declared it (Shop.Grains/Catalog/ProductState.cs and
    // Shop.Grains.Interfaces/Catalog/Product.cs at that time): the storage serializer writes it by property name.
    private sealed record LegacyProductState
    {
        public LegacyProduct? Product { get; init; }
    }

    private sealed record LegacyProduct(string Id, LegacyContent Content, ProductStatus Status, bool Deleted, DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt, long Version)
    {
        public bool IsVisible => Status == ProductStatus.OnShelf && !Deleted;
    }

    private sealed record LegacyContent(string Name, string Description, long PriceFen, string CategoryId,
        ImmutableSortedDictionary<string, string> Attributes, string? ImageUrl);
}
