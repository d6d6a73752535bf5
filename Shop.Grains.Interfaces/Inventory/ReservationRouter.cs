namespace Shop.Grains.Interfaces.Inventory;

/// <summary>
/// Reserves stock of any SKU the way <see cref="ReservationCoalescer"/> does, for a process outside the cluster (an
/// integration, a load driver) whose callers reserve across many SKUs: whatever its callers ask while earlier batches
/// are in flight goes to a silo as ONE call (<see cref="IStockReservationsGrain"/>), which makes the reservations
/// there. On one hot SKU the coalescer already shares calls; across thousands of SKUs only this keeps the cost per
/// reservation from being a client-to-silo round trip. Answers and idempotency per reservation id are those of
/// <see cref="IInventoryGrain.ReserveAsync"/>; one instance serves a whole process.
/// </summary>
public sealed class ReservationRouter(IGrainFactory grains, int maxInFlight = 4, int maxBatch = IStockReservationsGrain.MaxBatch)
{
    private readonly Lock _gate = new();
    private List<Waiting> _waiting = [];
    private int _inFlight;

    public Task<ReserveResult> ReserveAsync(string sku, string orderId, int quantity, DateTimeOffset expiresAt) =>
        ReserveAsync(sku, new ReserveRequest(orderId, quantity, expiresAt));

    public Task<ReserveResult> ReserveAsync(string sku, ReserveRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        ArgumentNullException.ThrowIfNull(request);
        var waiting = new Waiting(new SkuReservation(sku, request),
            new TaskCompletionSource<ReserveResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool send;
        lock (_gate)
        {
            _waiting.Add(waiting);
            send = _inFlight < maxInFlight;
            if (send)
            {
                _inFlight++;
            }
        }

        if (send)
        {
            _ = Task.Run(SendLoopAsync);
        }

        return waiting.Done.Task;
    }

    private async Task SendLoopAsync()
    {
        var router = grains.GetGrain<IStockReservationsGrain>(0);
        while (true)
        {
            List<Waiting> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                batch = _waiting.Count <= maxBatch ? _waiting : _waiting[..maxBatch];
                _waiting = _waiting.Count <= maxBatch ? [] : _waiting[maxBatch..];
            }

            try
            {
                var answers = await router.ReserveAsync([.. batch.Select(w => w.Item)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    Settle(batch[i], answers[i]);
                }
            }
            catch (Exception ex)
            {
                // The whole call failed (e.g. its silo went away): nothing is known to be decided, and a retry under
                // the same reservation ids is safe.
                batch.ForEach(w => w.Done.TrySetException(ex));
            }
        }
    }

    private static void Settle(Waiting waiting, RoutedReservation answer)
    {
        switch (answer)
        {
            case { Result: { } result }:
                waiting.Done.TrySetResult(result);
                break;
            case { Failure: RoutedReservationFailure.Invalid }:
                waiting.Done.TrySetException(new ArgumentException(answer.Message));
                break;
            case { Failure: RoutedReservationFailure.Unavailable }:
                waiting.Done.TrySetException(new InventoryUnavailableException(answer.Message ?? "The stock could not be stored."));
                break;
            default:
                waiting.Done.TrySetException(new InvalidOperationException(answer.Message ?? "The reservation failed."));
                break;
        }
    }

    private sealed record Waiting(SkuReservation Item, TaskCompletionSource<ReserveResult> Done);
}
