namespace Shop.Client.Inventory;

/// <summary>An admin restock (positive delta) or correction (negative delta) of one product's stock.</summary>
public sealed record AdjustStockRequest(long? Delta, string? Reason)
{
    public const long MaxDelta = 1_000_000;
    public const int MaxReasonLength = 200;
}

/// <summary>A product's stock: total = available + reserved + sold.</summary>
public sealed record StockResponse(
    long Total,
    long Available,
    long Reserved,
    long Sold,
    IReadOnlyList<StockReservationResponse> Reservations);

/// <summary>Units held for an unpaid order until it is paid or the reservation expires.</summary>
public sealed record StockReservationResponse(string OrderId, int Quantity, DateTimeOffset ExpiresAt);
