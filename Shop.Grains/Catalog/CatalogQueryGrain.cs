using Orleans.Concurrency;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>Storefront listings: expands the category to its subtree, then asks the read model.</summary>
[StatelessWorker]
public sealed class CatalogQueryGrain(ICatalogReadModel readModel) : Grain, ICatalogQueryGrain
{
    private static readonly ProductPage Empty = new([], 0);

    public async Task<ProductQueryResult> QueryAsync(ProductQuery query)
    {
        string[]? categories = null;
        if (query.CategoryId is { } categoryId)
        {
            categories = await GrainFactory.GetGrain<ICategoryTreeGrain>(ICategoryTreeGrain.DefaultKey).GetSubtreeAsync(categoryId);
            if (categories is null)
            {
                return new ProductQueryResult(CategoryFound: false, Empty);
            }
        }

        var page = await readModel.QueryAsync(new CatalogQuery(query.Page, query.Size, categories, query.Keyword, query.Sort));
        return new ProductQueryResult(CategoryFound: true, page);
    }
}
