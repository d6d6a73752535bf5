using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Grains.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Silo.Database;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Catalog;

/// <summary>The read models themselves: PostgreSQL (on a migrated database) and the embedded in-memory one.</summary>
public sealed class CatalogReadModelTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Kinds => new() { "postgres", "memory" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Versions_applied_out_of_order_end_with_the_newest(string kind)
    {
        var (model, _) = await CreateAsync(kind);
        var category = CategoryId.New();
        var id = ProductId.New();

        foreach (var version in new long[] { 3, 1, 2, 3, 1 })
        {
            await model.UpsertAsync(Version(id, category, version));
        }

        Assert.Equal(3, await model.GetVersionAsync(id));
        var listed = Assert.Single((await model.QueryAsync(Query(category))).Items);
        Assert.Equal(("v3", 300L), (listed.Name, listed.PriceFen));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Concurrent_writes_in_random_order_never_leave_an_older_version(string kind)
    {
        var (model, _) = await CreateAsync(kind);
        var category = CategoryId.New();
        var id = ProductId.New();
        var versions = Enumerable.Range(1, 40).Select(v => (long)v).OrderBy(_ => Random.Shared.Next()).ToList();

        await Parallel.ForEachAsync(versions, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (version, ct) => await model.UpsertAsync(Version(id, category, version), ct));

        Assert.Equal(40, await model.GetVersionAsync(id));
        Assert.Equal("v40", Assert.Single((await model.QueryAsync(Query(category))).Items).Name);
    }

    [Fact]
    public async Task The_inventory_column_survives_catalog_writes_and_shows_as_available()
    {
        var (model, connectionString) = await CreateAsync("postgres");
        var category = CategoryId.New();
        var id = ProductId.New();
        await model.UpsertAsync(Version(id, category, 1));
        Assert.Null(Assert.Single((await model.QueryAsync(Query(category))).Items).Available);

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE catalog_products SET inventory_available = 17 WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await model.UpsertAsync(Version(id, category, 2));

        Assert.Equal(17, Assert.Single((await model.QueryAsync(Query(category))).Items).Available);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Counting_a_category_sees_drafts_but_not_deleted_products(string kind)
    {
        var (model, _) = await CreateAsync(kind);
        var category = CategoryId.New();
        var draft = Version(ProductId.New(), category, 1) with { Status = ProductStatus.Draft };
        var deleted = Version(ProductId.New(), category, 2) with { Deleted = true };
        await model.UpsertAsync(draft);
        await model.UpsertAsync(deleted);

        Assert.Equal(1, await model.CountProductsInCategoryAsync(category));
        Assert.Empty((await model.QueryAsync(Query(category))).Items);
        Assert.Null(await model.GetVersionAsync(ProductId.New()));
    }

    private static CatalogQuery Query(string category) => new(1, 20, [category], null, ProductSort.Newest);

    private static ProductDetails Version(string id, string category, long version) => new(
        id,
        new ProductContent($"v{version}", "d", version * 100, category, ImmutableSortedDictionary<string, string>.Empty.Add("v", $"{version}"), null),
        ProductStatus.OnShelf,
        Deleted: false,
        T0,
        T0.AddMinutes(version),
        version);

    private static async Task<(ICatalogReadModel Model, string? ConnectionString)> CreateAsync(string kind)
    {
        if (kind == "memory")
        {
            return (new InMemoryCatalogReadModel(), null);
        }

        var connectionString = await TestDatabase.CreateAsync("readmodel");
        await new SchemaMigrator(connectionString, SchemaMigrator.DefaultScriptDirectory, NullLogger.Instance).MigrateAsync();
        return (new PostgresCatalogReadModel(connectionString), connectionString);
    }
}
