using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// Fans a client's batch out on the silo that received it, through the silo's coalescer: reservations of one SKU in
/// the batch (and those of the silo's own orders at that moment) share one grain call, and the others are local calls.
/// Stateless and reentrant: one activation per busy core, none waits behind another batch.
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class StockReservationsGrain(ReservationCoalescer reservations, ILogger<StockReservationsGrain> logger)
    : Grain, IStockReservationsGrain
{
    public Task<RoutedReservation[]> ReserveAsync(SkuReservation[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length > IStockReservationsGrain.MaxBatch)
        {
            throw new ArgumentException($"At most {IStockReservationsGrain.MaxBatch} reservations per call.", nameof(items));
        }

        return Task.WhenAll(items.Select(ReserveOneAsync));
    }

    private async Task<RoutedReservation> ReserveOneAsync(SkuReservation item)
    {
        try
        {
            if (item?.Request is null || string.IsNullOrWhiteSpace(item.Sku))
            {
                return new RoutedReservation(null, RoutedReservationFailure.Invalid, "A reservation needs a SKU and a request.");
            }

            return new RoutedReservation(await reservations.ReserveAsync(item.Sku, item.Request));
        }
        catch (ArgumentException invalid)
        {
            return new RoutedReservation(null, RoutedReservationFailure.Invalid, invalid.Message);
        }
        catch (InventoryUnavailableException unavailable)
        {
            return new RoutedReservation(null, RoutedReservationFailure.Unavailable, unavailable.Message);
        }
        catch (Exception ex)
        {
            LogFailed(ex, item.Sku);
            return new RoutedReservation(null, RoutedReservationFailure.Failed, "The reservation failed; nothing is known to be decided.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A routed reservation of {Sku} failed")]
    private partial void LogFailed(Exception exception, string sku);
}
