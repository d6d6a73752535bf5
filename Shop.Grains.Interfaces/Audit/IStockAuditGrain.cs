using System.Collections.Immutable;

namespace Shop.Grains.Interfaces.Audit;

/// <summary>
/// Checks every SKU's stored stock against the stored orders: received (the adjustments' audit trail) = available +
/// allotted + reserved + sold (allotted: what running campaigns hold aside), nothing oversold, every live reservation held for an unpaid order (or one still being created),
/// every sold unit confirmed for a paid order.
/// </summary>
[Alias("Shop.Audit.IStockAuditGrain")]
public interface IStockAuditGrain : IGrainWithIntegerKey
{
    /// <summary>Reads the whole inventory log and every order that holds stock: an operator's check, not a hot path.</summary>
    [Alias("Run"), ResponseTimeout("00:02:00")]
    Task<StockAuditReport> RunAsync();
}

[GenerateSerializer, Immutable, Alias("Shop.Audit.StockAuditReport")]
public sealed record StockAuditReport(
    [property: Id(0)] int CheckedSkus,
    [property: Id(1)] int CheckedOrders,
    [property: Id(2)] DateTimeOffset AuditedAt,
    [property: Id(3)] int InFlightReservations,
    [property: Id(4)] ImmutableArray<StockDiscrepancy> Discrepancies);

/// <summary>
/// One broken rule of one SKU, with the SKU's figures: <see cref="Received"/> is the sum of its audited adjustments,
/// the others come from its stock log (available = total - reserved - sold) and from the orders holding it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Audit.StockDiscrepancy")]
public sealed record StockDiscrepancy(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Detail,
    [property: Id(3)] StockAuditFigures Figures,
    [property: Id(4)] ImmutableArray<string> Orders,
    [property: Id(5)] int OrderCount);

[GenerateSerializer, Immutable, Alias("Shop.Audit.StockAuditFigures")]
public sealed record StockAuditFigures(
    [property: Id(0)] long Received,
    [property: Id(1)] long Total,
    [property: Id(2)] long Available,
    [property: Id(3)] long Reserved,
    [property: Id(4)] long Sold,
    [property: Id(5)] long ReservedForUnpaidOrders,
    [property: Id(6)] long SoldToPaidOrders,
    [property: Id(7)] long InFlight,
    [property: Id(30)] long Allotted = 0);

/// <summary>The <see cref="StockDiscrepancy.Kind"/> values: stable, operators alert on them.</summary>
public static class StockDiscrepancyKinds
{
    /// <summary>The audited adjustments do not add up to the stock log's total (received ≠ available + reserved + sold).</summary>
    public const string ReceivedMismatch = "RECEIVED_MISMATCH";

    /// <summary>Reserved + sold exceed what was received.</summary>
    public const string Oversold = "OVERSOLD";

    /// <summary>A live reservation whose order is gone, finished, or was never stored and whose expiry passed.</summary>
    public const string ReservationWithoutOrder = "RESERVATION_WITHOUT_ORDER";

    /// <summary>An unpaid order whose reservation is missing or of another quantity.</summary>
    public const string OrderWithoutReservation = "ORDER_WITHOUT_RESERVATION";

    /// <summary>Units confirmed sold for a reservation no paid order holds.</summary>
    public const string SoldWithoutOrder = "SOLD_WITHOUT_ORDER";

    /// <summary>A paid (or shipped, completed) order whose units were never confirmed sold.</summary>
    public const string OrderNotSold = "ORDER_NOT_SOLD";

    /// <summary>The stock log contradicts itself (a reservation stored twice, or finished without being live).</summary>
    public const string LogInconsistent = "LOG_INCONSISTENT";

    /// <summary>A campaign reserved and sold more units of the SKU than its allotment.</summary>
    public const string AllotmentExceeded = "ALLOTMENT_EXCEEDED";
}
