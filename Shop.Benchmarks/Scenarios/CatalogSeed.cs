using Shop.Benchmarks.Hosts;
using Shop.Benchmarks.Load;
using Shop.Client;
using Shop.Client.Catalog;
using Shop.Client.Inventory;

namespace Shop.Benchmarks.Scenarios;

/// <summary>
/// Products a merchant would list before a sale, made through the admin API: a category, on-shelf products, and their
/// stock delivered with the admin stock route (Idempotency-Key), so what was received is in inventory_adjustments.
/// </summary>
public sealed class CatalogSeed
{
    public const long PriceFen = 1_999;

    private readonly ICatalogApi _catalog;
    private string? _category;

    private CatalogSeed(HttpClient admin)
    {
        _catalog = CatalogApiClient.Create(admin);
        Stock = StockApiClient.Create(admin);
    }

    public IStockApi Stock { get; }

    public static async Task<CatalogSeed> CreateAsync(ShopDeployment deployment) =>
        new(deployment.Http(await deployment.Tokens.AdminAsync()));

    /// <summary>One on-shelf product with <paramref name="stock"/> units (delivered in steps of the route's maximum).</summary>
    public async Task<string> ProductAsync(long stock)
    {
        _category ??= Ok(await _catalog.CreateCategoryAsync(new CreateCategoryRequest($"Benchmark {Guid.NewGuid():N}"))).Id;
        var product = Ok(await _catalog.CreateProductAsync(new ProductRequest($"Flash sale item {Guid.NewGuid():N}"[..40], "benchmark", PriceFen, _category)));
        Ok(await _catalog.SetProductStatusAsync(product.Id, new ProductStatusRequest(ProductStatuses.OnShelf)));
        for (var (left, step) = (stock, 0); left > 0; left -= AdjustStockRequest.MaxDelta, step++)
        {
            await Stock.AdjustStockAsync(product.Id, new AdjustStockRequest(Math.Min(left, AdjustStockRequest.MaxDelta), "benchmark delivery"),
                $"bench-{product.Id}-{step}");
        }

        return product.Id;
    }

    /// <summary>Many products, made 16 at a time.</summary>
    public async Task<string[]> ProductsAsync(int count, long stock)
    {
        await ProductAsync(0); // the category first, once
        var ids = new string[count];
        var made = await LoadRunner.RunAsync("list products", new(16, null, count), async (_, i) =>
        {
            ids[i] = await ProductAsync(stock);
            return Outcome.Ok;
        });
        if (made.Failures > 0)
        {
            throw new InvalidOperationException($"{made.Failures} of {count} products could not be made");
        }

        Console.WriteLine($"  {count:N0} products listed and stocked in {made.Elapsed.TotalSeconds:N1} s");
        return ids;
    }

    private static T Ok<T>(Refit.IApiResponse<T> response) => response.IsSuccessStatusCode && response.Content is not null
        ? response.Content
        : throw new InvalidOperationException($"admin call answered {(int?)response.StatusCode}: {(response.Error as Refit.ApiException)?.Content}");
}
