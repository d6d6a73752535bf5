using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Catalog;

/// <summary>
/// One product; its activation is the detail cache. The state is the truth and the catalog read model follows it
/// (see <see cref="ProductProjection"/>).
/// </summary>
public sealed partial class ProductGrain(
    [PersistentState("product")] IPersistentState<ProductState> state,
    ICatalogReadModel readModel,
    TimeProvider time,
    IOptions<CatalogOptions> options,
    ILogger<ProductGrain> logger) : Grain, IProductGrain
{
    private readonly CatalogOptions _options = options.Value;
    private ProductProjection _projection = null!;

    private ProductDetails? Product => state.State.Product;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _projection = new ProductProjection(this, readModel, _options, logger);
        if (Product is null)
        {
            // Cache-penetration guard: repeated lookups of an unknown id are answered from this activation without a
            // storage read, and the activation leaves on its own so a flood of random ids cannot pile up.
            this.RegisterGrainTimer(ForgetIfStillUnknownAsync, new GrainTimerCreationOptions(_options.UnknownProductRetention, Timeout.InfiniteTimeSpan));
            return;
        }

        await _projection.CatchUpAsync(Product, cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _projection.FlushAsync(cancellationToken);

    public Task<ProductDetails?> GetAsync() => Task.FromResult(Product is { Deleted: false } product ? product : null);

    public Task<ProductDetails?> GetForOrderAsync() => Task.FromResult(Product);

    public async Task<OnShelfProduct?> GetOnShelfAsync()
    {
        if (Product is not { IsVisible: true } product)
        {
            return null;
        }

        // Each SKU on the shelf is its own inventory grain; an off-shelf one cannot be bought, so it shows 0.
        var onShelf = product.Skus.Where(v => v.OnShelf).ToList();
        var levels = await Task.WhenAll(onShelf.Select(v => GrainFactory.GetGrain<IInventoryGrain>(v.SkuId).GetLevelsAsync()));
        var perSku = product.Skus.ToDictionary(v => v.SkuId, _ => 0L, StringComparer.Ordinal);
        foreach (var (variant, level) in onShelf.Zip(levels))
        {
            perSku[variant.SkuId] = level.Available;
        }

        return new OnShelfProduct(product, levels.Sum(l => l.Available), perSku);
    }

    public async Task<ProductOutcome> CreateAsync(ProductDraft draft)
    {
        var shape = ProductVariantRules.TryNormalizeNew(draft, out var errors);
        if (shape is null)
        {
            return ProductOutcome.Invalid(errors);
        }

        var content = shape.Content;

        if (Product is not null)
        {
            return new ProductOutcome(ProductOutcomeStatus.AlreadyExists, Product.Deleted ? null : Product);
        }

        if (await UnknownTemplateAsync(content) is { } noTemplate)
        {
            return noTemplate;
        }

        var id = this.GetPrimaryKeyString();
        if (!await ReserveCategoryAsync(content.CategoryId, 1))
        {
            return UnknownCategory;
        }

        // Without options the product is its own single SKU, under its own id (as every product made before variants).
        var variants = shape.Options.Count == 0
            ? [shape.Variants[0] with { SkuId = id }]
            : shape.Variants.ConvertAll(v => v with { SkuId = SkuId.New(id) });
        var now = time.GetUtcNow();
        return await CommitAsync(new ProductDetails(id, content, ProductStatus.Draft, Deleted: false, now, now, Version: 1, shape.Options, variants));
    }

    public async Task<ProductOutcome> UpdateAsync(ProductDraft draft, long? expectedVersion)
    {
        if (Current(expectedVersion) is { } refused)
        {
            return refused;
        }

        var product = Product!;
        var content = ProductRules.TryNormalize(draft, out var errors, pricedPerVariant: product.HasOptions);
        CheckFixedShape(product, draft, errors);
        if (content is null || errors.Count > 0)
        {
            return ProductOutcome.Invalid(errors);
        }

        if (product.HasOptions)
        {
            content = content with { PriceFen = product.Content.PriceFen };
        }

        // Like grams: an update that leaves the freight template out keeps the product's current one (an edit of the
        // price alone must not move it to the free default template); name ft_default to move it there.
        if (string.IsNullOrWhiteSpace(draft.FreightTemplateId))
        {
            content = content with { FreightTemplateId = product.Content.FreightTemplateId };
        }

        // A product without options keeps its weight when the update leaves grams out.
        var grams = product.HasOptions ? null : draft.Grams ?? product.Skus[0].Grams;
        if (content.SameAs(product.Content) && (product.HasOptions || grams == product.Skus[0].Grams))
        {
            return ProductOutcome.Ok(product);
        }

        if (content.FreightTemplateId != product.Content.FreightTemplateId && await UnknownTemplateAsync(content) is { } noTemplate)
        {
            return noTemplate;
        }

        if (content.CategoryId != product.Content.CategoryId && !await ReserveCategoryAsync(content.CategoryId, product.Version + 1))
        {
            return UnknownCategory;
        }

        return await CommitAsync(WithVariants(product with { Content = content }, product.HasOptions ? product.Skus : [product.Skus[0] with { PriceFen = content.PriceFen, Grams = grams }]));
    }

    public async Task<ProductOutcome> SetStatusAsync(ProductStatus status, long? expectedVersion)
    {
        if (Current(expectedVersion) is { } refused)
        {
            return refused;
        }

        if (status is not (ProductStatus.OnShelf or ProductStatus.OffShelf))
        {
            return ProductOutcome.Invalid("status", "The status must be OnShelf or OffShelf.");
        }

        var product = Product!;
        return product.Status == status ? ProductOutcome.Ok(product) : await CommitAsync(Next(product with { Status = status }));
    }

    public async Task<ProductOutcome> DeleteAsync(long? expectedVersion)
    {
        if (Product is { Deleted: true } deleted)
        {
            return ProductOutcome.Ok(deleted);
        }

        return Current(expectedVersion) ?? await CommitAsync(Next(Product! with { Deleted = true }));
    }

    /// <summary>Invalid when the content names a freight template that does not exist (checked on this silo's template copy).</summary>
    private async Task<ProductOutcome?> UnknownTemplateAsync(ProductContent content) =>
        content.FreightTemplateId is { } id && !await ServiceProvider.GetRequiredService<Shipping.FreightTemplateCache>().ExistsAsync(id)
            ? ProductOutcome.Invalid("freightTemplateId", "No such freight template (GET /api/admin/freight-templates).")
            : null;

    private static ProductOutcome UnknownCategory => ProductOutcome.Invalid("categoryId", "The category does not exist.");

    /// <summary>Null when the product exists, is not deleted and (if asked) has the expected version; else why not.</summary>
    private ProductOutcome? Current(long? expectedVersion) => Product switch
    {
        null or { Deleted: true } => ProductOutcome.NotFound,
        { } p when expectedVersion is { } expected && expected != p.Version => new ProductOutcome(ProductOutcomeStatus.VersionConflict, p),
        _ => null,
    };

    private ProductDetails Next(ProductDetails changed) => changed with { UpdatedAt = time.GetUtcNow(), Version = changed.Version + 1 };

    private Task<bool> ReserveCategoryAsync(string categoryId, long version) =>
        GrainFactory.GetGrain<ICategoryTreeGrain>(ICategoryTreeGrain.DefaultKey).ReserveAsync(categoryId, this.GetPrimaryKeyString(), version);

    private async Task<ProductOutcome> CommitAsync(ProductDetails next)
    {
        var previous = state.State;
        state.State = previous with { Product = next };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Whether the write landed is unknown: drop this activation so the next call reloads the stored truth.
            state.State = previous;
            this.DeactivateOnIdle();
            throw;
        }

        await _projection.ProjectAsync(next);
        return ProductOutcome.Ok(next);
    }

    private Task ForgetIfStillUnknownAsync(CancellationToken cancellationToken)
    {
        if (Product is null)
        {
            this.DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }
}
