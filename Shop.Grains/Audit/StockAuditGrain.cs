using Orleans.Concurrency;
using Shop.Grains.Interfaces.Audit;

namespace Shop.Grains.Audit;

/// <summary>Stateless: whichever silo takes the call reads the shared stores (in embedded mode, the only silo).</summary>
[StatelessWorker(1)]
public sealed class StockAuditGrain(IStockAuditSource source, TimeProvider clock) : Grain, IStockAuditGrain
{
    public async Task<StockAuditReport> RunAsync()
    {
        // The time is taken before reading: a reservation that expires during the read is not called an orphan.
        var now = clock.GetUtcNow();
        var (skus, orders) = await source.ReadAsync(CancellationToken.None);
        return StockAudit.Run(skus, orders, now);
    }
}
