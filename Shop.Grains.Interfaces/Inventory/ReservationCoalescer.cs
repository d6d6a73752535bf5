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
    private static readonly TimeSpan RetryAfterUnavailable = TimeSpan.FromMilliseconds(100);

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

        return send ? LeadAsync(sku, pending) : pending.Done.Task;
    }

    /// <summary>
    /// The caller that found no call in flight makes the first call itself, on its own scheduler, so a lone caller (most
    /// callers, over many SKUs) pays no hop to the thread pool and back; callers that queued meanwhile are sent off the
    /// caller's scheduler (a grain's, in a silo), by a loop that serves every caller of this SKU.
    /// </summary>
    private async Task<ReserveResult> LeadAsync(string sku, Pending lead)
    {
        var grain = grains.GetGrain<IInventoryGrain>(sku);
        if (TakeBatch(sku) is { } batch)
        {
            await SendBatchAsync(grain, batch);
        }

        if (TakeBatch(sku) is { } next)
        {
            _ = Task.Run(() => SendLoopAsync(grain, sku, next));
        }

        return await lead.Done.Task;
    }

    private async Task SendLoopAsync(IInventoryGrain grain, string sku, List<Pending> batch)
    {
        for (List<Pending>? current = batch; current is not null; current = TakeBatch(sku))
        {
            await SendBatchAsync(grain, current);
        }
    }

    /// <summary>The next batch of this SKU's waiting callers, or null (and the SKU's call no longer in flight) when none wait.</summary>
    private List<Pending>? TakeBatch(string sku)
    {
        lock (_gate)
        {
            var queue = _skus[sku];
            if (queue.Waiting.Count == 0)
            {
                _skus.Remove(sku);
                return null;
            }

            var batch = queue.Waiting.Count <= maxBatch ? queue.Waiting : queue.Waiting[..maxBatch];
            queue.Waiting = queue.Waiting.Count <= maxBatch ? [] : queue.Waiting[maxBatch..];
            return batch;
        }
    }

    /// <summary>Sends the batch; every caller in it gets an answer or an exception, none is thrown here.</summary>
    private static async Task SendBatchAsync(IInventoryGrain grain, List<Pending> batch)
    {
        try
        {
            try
            {
                await SendAsync(grain, batch);
            }
            catch (InventoryUnavailableException)
            {
                // Nothing was decided: the SKU's activation met a newer one (a silo handing its grains over) or
                // could not write. The next call reloads the stored stock, so the callers get an answer, not a 503.
                await Task.Delay(RetryAfterUnavailable);
                await SendAsync(grain, batch);
            }
        }
        catch (Exception ex)
        {
            batch.ForEach(p => p.Done.TrySetException(ex));
        }
    }

    /// <summary>One grain call for the batch; every caller's answer is set (a whole-batch failure is thrown).</summary>
    private static async Task SendAsync(IInventoryGrain grain, List<Pending> batch)
    {
        if (batch.Count == 1 && batch[0].Request is { UserId: null, CampaignId: null })
        {
            var only = batch[0].Request;
            batch[0].Done.TrySetResult(await grain.ReserveAsync(only.OrderId, only.Quantity, only.ExpiresAt));
            return;
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
            return;
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
