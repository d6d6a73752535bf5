using Shop.Grains.Inventory;
using Shop.Grains.Orders;

namespace Shop.Grains.Audit;

/// <summary>One SKU as stored: the sum of its audited adjustments and its whole stock log, oldest batch first.</summary>
public sealed record AuditedSku(string Sku, long Received, IReadOnlyList<InventoryBatch> Log);

/// <summary>What the audit needs of one stored order: its number, where its stock is, and its holds.</summary>
public sealed record AuditedOrder(string OrderNo, StockPhase Stock, IReadOnlyList<StockHold> Holds);

/// <summary>Everything the stock audit compares, read from one store (PostgreSQL, or the embedded mode's memory).</summary>
public interface IStockAuditSource
{
    /// <summary>Every SKU and every order as of one moment, so that the two sides can be compared.</summary>
    Task<(IReadOnlyList<AuditedSku> Skus, IReadOnlyList<AuditedOrder> Orders)> ReadAsync(CancellationToken cancellationToken);
}
