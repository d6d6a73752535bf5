namespace Shop.Grains.Interfaces.Inventory;

/// <summary>
/// Reserves stock the way <see cref="IInventoryGrain.ReserveAsync"/> does, but the callers of one SKU that arrive while
/// a call to it is in flight share the next call (<see cref="IInventoryGrain.ReserveManyAsync"/>): on a hot SKU, one
/// grain call (and one message each way) carries dozens of reservations instead of one. A lone caller waits for
/// nothing. Answers, failures and idempotency per reservation id are those of <see cref="IInventoryGrain.ReserveAsync"/>.
/// One instance serves a whole process (a silo's order grains, or an API or tool's callers).
/// </summary>
public sealed class ReservationCoalescer(IGrainFactory grains, int maxBatch = 256)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SkuQueue> _skus = new(StringComparer.Ordinal);

    public Task<ReserveResult> ReserveAsync(string sku, string orderId, int quantity, DateTimeOffset expiresAt) =>
        ReserveAsync(sku, new ReserveRequest(orderId, quantity, expiresAt));

    /// <summary>As above, for a request that names its customer or campaign (decided by the SKU's limits in the same call).</summary>
    public Task<ReserveResult> ReserveAsync(string sku, ReserveRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.OrderId);
        var pending = new Pending(request,
            new TaskCompletionSource<ReserveResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool send;
        lock (_gate)
        {
            if (!_skus.TryGetValue(sku, out var queue))
            {
                _skus[sku] = queue = new SkuQueue();
            }

            queue.Waiting.Add(pending);
            send = !queue.InFlight;
            queue.InFlight = true;
        }

        if (send)
        {
            // Off the caller's scheduler (a grain's, in a silo): the loop sends for every caller of this SKU.
            _ = Task.Run(() => SendLoopAsync(sku));
        }

        return pending.Done.Task;
    }

    private async Task SendLoopAsync(string sku)
    {
        var grain = grains.GetGrain<IInventoryGrain>(sku);
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                var queue = _skus[sku];
                if (queue.Waiting.Count == 0)
                {
                    _skus.Remove(sku);
                    return;
                }

                batch = queue.Waiting.Count <= maxBatch ? queue.Waiting : queue.Waiting[..maxBatch];
                queue.Waiting = queue.Waiting.Count <= maxBatch ? [] : queue.Waiting[maxBatch..];
            }

            try
            {
                if (batch.Count == 1 && batch[0].Request is { UserId: null, CampaignId: null })
                {
                    var only = batch[0].Request;
                    batch[0].Done.TrySetResult(await grain.ReserveAsync(only.OrderId, only.Quantity, only.ExpiresAt));
                    continue;
                }

                ReserveResult?[] results;
                try
                {
                    results = await grain.ReserveManyAsync([.. batch.Select(p => p.Request)]);
                }
                catch (ArgumentException)
                {
                    // One request the grain refuses outright (a bad id or quantity): each gets its own answer.
                    await Task.WhenAll(batch.Select(async p =>
                    {
                        try
                        {
                            p.Done.TrySetResult(await ReserveOneAsync(grain, p.Request));
                        }
                        catch (Exception single)
                        {
                            p.Done.TrySetException(single);
                        }
                    }));
                    continue;
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    if (results[i] is { } result)
                    {
                        batch[i].Done.TrySetResult(result);
                    }
                    else
                    {
                        batch[i].Done.TrySetException(new ArgumentOutOfRangeException("expiresAt", batch[i].Request.ExpiresAt,
                            "A new reservation must expire in the future."));
                    }
                }
            }
            catch (Exception ex)
            {
                batch.ForEach(p => p.Done.TrySetException(ex));
            }
        }
    }

    private static async Task<ReserveResult> ReserveOneAsync(IInventoryGrain grain, ReserveRequest request) =>
        request is { UserId: null, CampaignId: null }
            ? await grain.ReserveAsync(request.OrderId, request.Quantity, request.ExpiresAt)
            : (await grain.ReserveManyAsync([request]))[0]
                ?? throw new ArgumentOutOfRangeException("expiresAt", request.ExpiresAt, "A new reservation must expire in the future.");

    private sealed record Pending(ReserveRequest Request, TaskCompletionSource<ReserveResult> Done);

    private sealed class SkuQueue
    {
        public List<Pending> Waiting { get; set; } = [];

        public bool InFlight { get; set; }
    }
}
