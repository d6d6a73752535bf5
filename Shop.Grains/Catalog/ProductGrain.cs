using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>
/// One product. The state is the truth; the read model is written after it and converges: every change is projected
/// right after the state write, a failed projection is retried on a timer that keeps the activation alive, and a new
/// activation repairs a row left behind by a crash.
/// </summary>
public sealed class ProductGrain(
    [PersistentState("product")] IPersistentState<ProductState> state,
    ICatalogReadModel readModel,
    TimeProvider time,
    IOptions<CatalogOptions> options,
    ILogger<ProductGrain> logger) : Grain, IProductGrain
{
    private readonly CatalogOptions _options = options.Value;
    private long _projectedVersion;
    private IGrainTimer? _projectionTimer;
    private TimeSpan _retryDelay;

    private ProductDetails? Product => state.State.Product;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Product is null)
        {
            // Cache-penetration guard: repeated lookups of an unknown id are answered from this activation without a
            // storage read, and the activation leaves on its own so a flood of random ids cannot pile up.
            this.RegisterGrainTimer(ForgetIfStillUnknownAsync, new GrainTimerCreationOptions(_options.UnknownProductRetention, Timeout.InfiniteTimeSpan));
            return;
        }

        try
        {
            _projectedVersion = await readModel.GetVersionAsync(Product.Id, cancellationToken) ?? 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not read the catalog read-model version of {ProductId}", Product.Id);
        }

        if (_projectedVersion < Product.Version)
        {
            ScheduleProjection(TimeSpan.Zero);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Last chance before the activation goes (e.g. silo shutdown); otherwise the next activation repairs the row.
        if (Product is { } product && _projectedVersion < product.Version)
        {
            try
            {
                await readModel.UpsertAsync(product, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Catalog read model still behind for {ProductId} at deactivation", product.Id);
            }
        }
    }

    public Task<ProductDetails?> GetAsync() => Task.FromResult(Product is { Deleted: false } product ? product : null);

    public Task<ProductDetails?> GetForOrderAsync() => Task.FromResult(Product);

    public async Task<ProductOutcome> CreateAsync(ProductDraft draft)
    {
        var content = ProductRules.TryNormalize(draft, out var errors);
        if (content is null)
        {
            return ProductOutcome.Invalid(errors);
        }

        if (Product is not null)
        {
            return new ProductOutcome(ProductOutcomeStatus.AlreadyExists, Product.Deleted ? null : Product);
        }

        var id = this.GetPrimaryKeyString();
        if (!await ReserveCategoryAsync(content.CategoryId, 1))
        {
            return UnknownCategory;
        }

        var now = time.GetUtcNow();
        return await CommitAsync(new ProductDetails(id, content, ProductStatus.Draft, Deleted: false, now, now, Version: 1));
    }

    public async Task<ProductOutcome> UpdateAsync(ProductDraft draft, long? expectedVersion)
    {
        if (Current(expectedVersion) is { } refused)
        {
            return refused;
        }

        var content = ProductRules.TryNormalize(draft, out var errors);
        if (content is null)
        {
            return ProductOutcome.Invalid(errors);
        }

        var product = Product!;
        if (content.SameAs(product.Content))
        {
            return ProductOutcome.Ok(product);
        }

        if (content.CategoryId != product.Content.CategoryId && !await ReserveCategoryAsync(content.CategoryId, product.Version + 1))
        {
            return UnknownCategory;
        }

        return await CommitAsync(Next(product with { Content = content }));
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

        await ProjectAsync();
        return ProductOutcome.Ok(next);
    }

    private async Task ProjectAsync()
    {
        var product = Product!;
        try
        {
            await readModel.UpsertAsync(product);
            _projectedVersion = Math.Max(_projectedVersion, product.Version);
            _retryDelay = TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _retryDelay = _retryDelay == TimeSpan.Zero
                ? _options.ProjectionRetryDelay
                : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.ProjectionRetryMaxDelay.Ticks));
            logger.LogWarning(ex, "Catalog read-model write of {ProductId} v{Version} failed; retrying in {Delay}", product.Id, product.Version, _retryDelay);
            ScheduleProjection(_retryDelay);
        }
    }

    private void ScheduleProjection(TimeSpan dueTime)
    {
        if (_projectionTimer is null)
        {
            // KeepAlive: the activation must not be collected while the read model still lags behind its state.
            _projectionTimer = this.RegisterGrainTimer(ProjectPendingAsync,
                new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _projectionTimer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ProjectPendingAsync(CancellationToken cancellationToken)
    {
        if (Product is { } product && _projectedVersion < product.Version)
        {
            await ProjectAsync();
        }
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
