using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Storage;

namespace Shop.Grains.Catalog;

/// <summary>The read model in <c>catalog_products</c> (deploy/sql/0020_catalog.sql).</summary>
public sealed class PostgresCatalogReadModel : ICatalogReadModel, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>The stock levels of every SKU of this silo that projects at the same moment: one UPDATE.</summary>
    private readonly GroupCommit<AvailableLevel, bool> _levels;

    public PostgresCatalogReadModel(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _levels = new(SetAvailableBatchAsync);
    }

    // The WHERE on the update is what makes the projection idempotent and order-proof: a retried or late write of an
    // older version finds a newer row and changes nothing. inventory_available belongs to the inventory side: untouched.
    private const string UpsertSql = """
        INSERT INTO catalog_products
            (id, name, description, price_fen, category_id, attributes, image_url, status, deleted, created_at, updated_at, version,
             max_price_fen, variant_count, on_shelf_skus, freight_template_id)
        VALUES (@id, @name, @description, @price, @category, @attributes, @image, @status, @deleted, @created, @updated, @version,
                @max_price, @variant_count, @on_shelf_skus, @freight_template)
        ON CONFLICT (id) DO UPDATE SET
            name = EXCLUDED.name, description = EXCLUDED.description, price_fen = EXCLUDED.price_fen,
            category_id = EXCLUDED.category_id, attributes = EXCLUDED.attributes, image_url = EXCLUDED.image_url,
            status = EXCLUDED.status, deleted = EXCLUDED.deleted, created_at = EXCLUDED.created_at,
            updated_at = EXCLUDED.updated_at, version = EXCLUDED.version, max_price_fen = EXCLUDED.max_price_fen,
            variant_count = EXCLUDED.variant_count, on_shelf_skus = EXCLUDED.on_shelf_skus,
            freight_template_id = EXCLUDED.freight_template_id
        WHERE catalog_products.version < EXCLUDED.version
        """;

    public async Task UpsertAsync(ProductDetails product, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(UpsertSql);
        var content = product.Content;
        command.Parameters.AddWithValue("id", product.Id);
        command.Parameters.AddWithValue("name", content.Name);
        command.Parameters.AddWithValue("description", content.Description);
        command.Parameters.AddWithValue("price", content.PriceFen);
        command.Parameters.AddWithValue("category", content.CategoryId);
        command.Parameters.AddWithValue("attributes", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(content.Attributes));
        command.Parameters.AddWithValue("image", (object?)content.ImageUrl ?? DBNull.Value);
        command.Parameters.AddWithValue("status", product.Status.ToString());
        command.Parameters.AddWithValue("deleted", product.Deleted);
        command.Parameters.AddWithValue("created", product.CreatedAt.UtcDateTime);
        command.Parameters.AddWithValue("updated", product.UpdatedAt.UtcDateTime);
        command.Parameters.AddWithValue("version", product.Version);
        var listing = CatalogListing.Of(product);
        command.Parameters.AddWithValue("max_price", listing.MaxPriceFen);
        command.Parameters.AddWithValue("variant_count", listing.VariantCount);
        command.Parameters.Add(new NpgsqlParameter("on_shelf_skus", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)listing.OnShelfSkus ?? DBNull.Value });
        command.Parameters.AddWithValue("freight_template", NpgsqlDbType.Text, (object?)content.FreightTemplateId ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ProductPage> QueryAsync(CatalogQuery query, CancellationToken cancellationToken = default)
    {
        // Conditions are added only when used, so each shape gets a plan that can use its partial index.
        var where = new StringBuilder("status = 'OnShelf' AND NOT deleted");
        var parameters = new List<NpgsqlParameter>();
        if (query.CategoryIds is { } categories)
        {
            where.Append(" AND category_id = ANY(@categories)");
            parameters.Add(new NpgsqlParameter("categories", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = categories.ToArray() });
        }

        if (!string.IsNullOrEmpty(query.Keyword))
        {
            // ILIKE with the keyword's own wildcards escaped: "50%" finds "50%", not everything starting with 50.
            where.Append(@" AND (name ILIKE @pattern ESCAPE '\' OR description ILIKE @pattern ESCAPE '\')");
            parameters.Add(new NpgsqlParameter("pattern", "%" + EscapeLike(query.Keyword) + "%"));
        }

        var order = query.Sort switch
        {
            ProductSort.PriceAscending => "price_fen, id",
            ProductSort.PriceDescending => "price_fen DESC, id",
            _ => "created_at DESC, id",
        };

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM catalog_products WHERE {where}");
        var page = new NpgsqlBatchCommand($"""
            SELECT id, name, price_fen, category_id, image_url, created_at,
                   CASE WHEN on_shelf_skus IS NULL THEN inventory_available
                        ELSE (SELECT sum(s.inventory_available)::bigint FROM catalog_skus s WHERE s.sku_id = ANY(on_shelf_skus)) END,
                   max_price_fen, variant_count
            FROM catalog_products WHERE {where} ORDER BY {order} LIMIT @limit OFFSET @offset
            """);
        foreach (var parameter in parameters)
        {
            count.Parameters.Add(parameter.Clone());
            page.Parameters.Add(parameter.Clone());
        }

        page.Parameters.AddWithValue("limit", query.Size);
        page.Parameters.AddWithValue("offset", (long)(query.Page - 1) * query.Size);
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<ProductListItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ProductListItem(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetInt32(8)));
        }

        return new ProductPage(items, total);
    }

    // Inventory versions only grow, so "newer wins" makes late or repeated writes harmless. A single-SKU product's SKU
    // (its own id) whose product row does not exist yet gets its level on the first flush after the product is created;
    // a variant SKU's level goes to catalog_skus, which the listing sums per product.
    public Task SetAvailableAsync(string productId, long inventoryVersion, long available, CancellationToken cancellationToken = default) =>
        _levels.WriteAsync(new AvailableLevel(productId, inventoryVersion, available));

    private async Task<IReadOnlyList<bool>> SetAvailableBatchAsync(IReadOnlyList<AvailableLevel> levels, CancellationToken cancellationToken)
    {
        // Of two levels of one SKU in a batch only the newer can matter; one UPDATE must not see a row twice.
        var newest = levels.GroupBy(l => l.ProductId, StringComparer.Ordinal).Select(g => g.MaxBy(l => l.InventoryVersion)!).ToList();
        var products = newest.Where(l => l.ProductId.IndexOf(SkuId.Separator, StringComparison.Ordinal) < 0).ToList();
        var variants = newest.Where(l => l.ProductId.IndexOf(SkuId.Separator, StringComparison.Ordinal) >= 0).ToList();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        if (products.Count > 0)
        {
            batch.BatchCommands.Add(Levels("""
                UPDATE catalog_products AS p SET inventory_available = l.available, inventory_version = l.version
                FROM unnest(@ids, @versions, @availables) AS l(id, version, available)
                WHERE p.id = l.id AND (p.inventory_version IS NULL OR p.inventory_version < l.version)
                """, products));
        }

        if (variants.Count > 0)
        {
            batch.BatchCommands.Add(Levels("""
                INSERT INTO catalog_skus (sku_id, product_id, inventory_available, inventory_version)
                SELECT l.id, split_part(l.id, '.', 1), l.available, l.version FROM unnest(@ids, @versions, @availables) AS l(id, version, available)
                ON CONFLICT (sku_id) DO UPDATE SET inventory_available = EXCLUDED.inventory_available, inventory_version = EXCLUDED.inventory_version
                WHERE catalog_skus.inventory_version < EXCLUDED.inventory_version
                """, variants));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        return [.. levels.Select(_ => true)];
    }

    private static NpgsqlBatchCommand Levels(string sql, List<AvailableLevel> levels)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("ids", levels.Select(l => l.ProductId).ToArray());
        command.Parameters.AddWithValue("versions", levels.Select(l => l.InventoryVersion).ToArray());
        command.Parameters.AddWithValue("availables", levels.Select(l => l.Available).ToArray());
        return command;
    }

    private sealed record AvailableLevel(string ProductId, long InventoryVersion, long Available);

    public async Task<long> CountProductsInCategoryAsync(string categoryId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM catalog_products WHERE category_id = @category AND NOT deleted");
        command.Parameters.AddWithValue("category", categoryId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<TemplateUse> ProductsUsingTemplateAsync(string templateId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT count(*), min(id) FROM catalog_products WHERE freight_template_id = @template AND NOT deleted");
        command.Parameters.AddWithValue("template", templateId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TemplateUse(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    public async Task<long?> GetVersionAsync(string productId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT version FROM catalog_products WHERE id = @id");
        command.Parameters.AddWithValue("id", productId);
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : null;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal)
            .Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
}
