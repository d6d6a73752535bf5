namespace Shop.Client.Inventory;

/// <summary>An admin restock (positive delta) or correction (negative delta) of one product's stock.</summary>
public sealed record AdjustStockRequest(long? Delta, string? Reason)
{
    public const long MaxDelta = 1_000_000;
    public const int MaxReasonLength = 200;
}

/// <summary>A product's stock levels: total = available + allotted (held aside by running campaigns) + reserved + sold.</summary>
public sealed record StockLevelsResponse(long Total, long Available, long Reserved, long Sold, long Allotted = 0);

/// <summary>
/// A product's stock levels and one page of its live reservations, in ordinal order of order id. <see cref="Next"/>
/// is the <c>after</c> of the next page (null on the last one); <see cref="ReservationCount"/> counts every live
/// reservation. Levels, page and count are of one moment; a reservation live for the whole walk appears exactly once.
/// </summary>
public sealed record StockResponse(
    long Total,
    long Available,
    long Reserved,
    long Sold,
    IReadOnlyList<StockReservationResponse> Reservations,
    string? Next,
    int ReservationCount,
    long Allotted = 0)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>An order id (a cursor) is at most this long.</summary>
    public const int MaxAfterLength = 100;
}

/// <summary>Units held for an unpaid order until it is paid or the reservation expires.</summary>
public sealed record StockReservationResponse(string OrderId, int Quantity, DateTimeOffset ExpiresAt);
