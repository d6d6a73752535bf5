using System.Text.Json;
using Shop.Grains.Inventory;
using Shop.Grains.Orders;

namespace Shop.Grains.Audit;

/// <summary>
/// The embedded mode's stores live in the silo's memory, so the audit (a grain, running in that silo) reads them
/// there. A host that put other stores in (a test's fault injection) gets a clear refusal instead of a wrong answer.
/// </summary>
public sealed class InMemoryStockAuditSource(IInventoryStore inventory, IOrderStore orders) : IStockAuditSource
{
    public Task<(IReadOnlyList<AuditedSku> Skus, IReadOnlyList<AuditedOrder> Orders)> ReadAsync(CancellationToken cancellationToken)
    {
        if (inventory is not InMemoryInventoryStore stock || orders is not InMemoryOrderStore rows)
        {
            throw new NotSupportedException(
                $"The stock audit cannot read {inventory.GetType().Name} and {orders.GetType().Name}: it reads PostgreSQL or the embedded stores.");
        }

        IReadOnlyList<AuditedSku> skus = [.. stock.AuditView().Select(s => new AuditedSku(s.Sku, s.Received, s.Log))];
        IReadOnlyList<AuditedOrder> audited = [.. rows.Rows().Select(r => JsonSerializer.Deserialize<OrderState>(r.StateJson, OrderStateJson.Options)!)
            .Select(o => new AuditedOrder(o.OrderNo, o.Stock, o.Holds))];
        return Task.FromResult((skus, audited));
    }
}
