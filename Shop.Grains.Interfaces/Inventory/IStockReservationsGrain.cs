namespace Shop.Grains.Interfaces.Inventory;

/// <summary>
/// Reservations of many SKUs in one call from outside the cluster: the silo that receives the batch makes each
/// reservation the way its own order grains do (local calls through its <see cref="ReservationCoalescer"/>), so a
/// client that reserves across thousands of SKUs pays one message per batch instead of one per reservation. Each item
/// gets the answer <see cref="IInventoryGrain.ReserveAsync"/> would give, or its own refusal; one item's failure never
/// fails the others. Use <see cref="ReservationRouter"/> to batch a process's concurrent callers.
/// </summary>
[Alias("Shop.Inventory.IStockReservationsGrain")]
public interface IStockReservationsGrain : IGrainWithIntegerKey
{
    /// <summary>At most <see cref="MaxBatch"/> items; answers in the same order.</summary>
    [Alias("Reserve")]
    Task<RoutedReservation[]> ReserveAsync(SkuReservation[] items);

    public const int MaxBatch = 512;
}

/// <summary>One reservation of a batch: the SKU and what <see cref="IInventoryGrain.ReserveManyAsync"/> takes.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Inventory.SkuReservation")]
public sealed record SkuReservation([property: Id(0)] string Sku, [property: Id(1)] ReserveRequest Request);

/// <summary>How one item of a batch ended: an answer, or why it has none.</summary>
[GenerateSerializer, Alias("Shop.Inventory.RoutedReservationFailure")]
public enum RoutedReservationFailure
{
    None,

    /// <summary>The request itself is wrong (id, quantity, an expiry in the past): never retry it as is.</summary>
    Invalid,

    /// <summary>The SKU could not store the change (see <see cref="InventoryUnavailableException"/>): nothing was decided, retry.</summary>
    Unavailable,

    /// <summary>Anything else (the cause is in the silo's log): nothing is known to be decided; a retry with the same id is safe.</summary>
    Failed,
}

[GenerateSerializer, Immutable, Alias("Shop.Inventory.RoutedReservation")]
public sealed record RoutedReservation(
    [property: Id(0)] ReserveResult? Result,
    [property: Id(1)] RoutedReservationFailure Failure = RoutedReservationFailure.None,
    [property: Id(2)] string? Message = null);
