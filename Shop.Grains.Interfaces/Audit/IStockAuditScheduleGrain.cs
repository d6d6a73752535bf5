namespace Shop.Grains.Interfaces.Audit;

/// <summary>
/// The periodic stock audit of the whole cluster (one activation, key <see cref="Key"/>): it runs the audit every
/// <c>Audit:StockInterval</c> by its own timer, one run at a time, and hands the latest result to every silo that
/// asks, so each silo's <c>shop_stock_audit_discrepancies</c> follows the cluster's latest audit.
/// </summary>
[Alias("Shop.Audit.IStockAuditScheduleGrain")]
public interface IStockAuditScheduleGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Keeps the schedule going (activates it where it was lost with a silo); the latest result, null before the first.</summary>
    [Alias("Latest"), Orleans.Concurrency.AlwaysInterleave]
    Task<StockAuditSummary?> LatestAsync();
}

/// <summary>What an alert needs of one audit: when, how many SKUs did not add up, how many rules were broken.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Audit.StockAuditSummary")]
public sealed record StockAuditSummary(
    [property: Id(0)] DateTimeOffset AuditedAt,
    [property: Id(1)] int SkusWithDiscrepancy,
    [property: Id(2)] int Discrepancies,
    [property: Id(3)] int CheckedSkus);
