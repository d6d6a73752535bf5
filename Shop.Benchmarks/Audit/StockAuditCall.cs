using Shop.Benchmarks.Hosts;
using Shop.Client.Audit;

namespace Shop.Benchmarks.Audit;

/// <summary>
/// The deployment's own stock audit (<c>GET /api/admin/audit/stock</c>), as an operator would call it after a sale:
/// every discrepancy on the scenario's SKUs fails the run. Other scenarios' SKUs (the grain scenarios reserve for no
/// order) are not this scenario's business.
/// </summary>
public static class StockAuditCall
{
    public static async Task<(List<string> Notes, string Summary)> CheckAsync(ShopDeployment deployment, IEnumerable<string> skus)
    {
        var mine = skus.ToHashSet(StringComparer.Ordinal);
        var audit = await StockAuditApiClient.Create(deployment.Http(await deployment.Tokens.AdminAsync())).AuditStockAsync();
        var found = audit.Discrepancies.Where(d => mine.Contains(d.Sku)).ToList();
        var notes = found.Take(5).Select(d => $"stock audit: {d.Sku} {d.Kind}: {d.Detail} (orders: {string.Join(", ", d.Orders.Take(3))})").ToList();
        return (notes, $"stock audit endpoint: {audit.CheckedSkus:N0} SKUs, {audit.CheckedOrders:N0} orders, {found.Count} discrepancies on this scenario's SKUs");
    }
}
