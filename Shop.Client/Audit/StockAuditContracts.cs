using Refit;

namespace Shop.Client.Audit;

/// <summary>Admin: the stock conservation audit (role "admin").</summary>
public interface IStockAuditApi
{
    /// <summary>Checks every SKU against the stored orders; an empty <c>discrepancies</c> means everything adds up.</summary>
    [Get("/api/admin/audit/stock")]
    Task<StockAuditResponse> AuditStockAsync(CancellationToken cancellationToken = default);
}

public static class StockAuditApiClient
{
    public static IStockAuditApi Create(HttpClient httpClient) =>
        RestService.For<IStockAuditApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}

/// <summary>
/// The audit's answer: how many SKUs and orders holding stock it read, reservations of requests still under way
/// (<see cref="InFlightReservations"/>: an order reserved but not stored yet, a cancel releasing), and every
/// discrepancy found.
/// </summary>
public sealed record StockAuditResponse(
    int CheckedSkus,
    int CheckedOrders,
    DateTimeOffset AuditedAt,
    int InFlightReservations,
    IReadOnlyList<StockDiscrepancyResponse> Discrepancies);

/// <summary>
/// One broken rule of one SKU (<see cref="Kind"/>: RECEIVED_MISMATCH, OVERSOLD, RESERVATION_WITHOUT_ORDER,
/// ORDER_WITHOUT_RESERVATION, SOLD_WITHOUT_ORDER, ORDER_NOT_SOLD, LOG_INCONSISTENT, ALLOTMENT_EXCEEDED) with the SKU's figures:
/// <see cref="Received"/> sums the audited adjustments; total, available, allotted (held aside by running campaigns),
/// reserved and sold come from the stock log;
/// the reserved and sold units the orders account for; the orders (or reservation ids) involved, at most 50 listed.
/// </summary>
public sealed record StockDiscrepancyResponse(
    string Sku,
    string Kind,
    string Detail,
    long Received,
    long Total,
    long Available,
    long Reserved,
    long Sold,
    long ReservedForUnpaidOrders,
    long SoldToPaidOrders,
    long InFlight,
    IReadOnlyList<string> Orders,
    int OrderCount,
    long Allotted = 0);
