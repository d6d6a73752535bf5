namespace Shop.Grains.Storage;

/// <summary>
/// Cross-grain group commit: the writes that many grains of this silo ask for while a statement is in flight wait and
/// then go together in the next one, so under load a write costs a fraction of a round trip, a parse and a WAL flush.
/// At most <see cref="MaxInFlight"/> statements run at once (the first write of an idle silo goes out at once, so a
/// lone request waits for nothing); a batch never holds more than <see cref="MaxBatch"/> items.
/// </summary>
/// <remarks>
/// The write function gets the items in arrival order and answers one result per item, in the same order. If it
/// throws, every item of that batch fails with the exception (whether the statement committed is then unknown to
/// all of them alike, as it would be to a lone writer); other batches are unaffected.
/// </remarks>
public sealed class GroupCommit<TItem, TResult>(
    Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> write,
    int maxBatch = 256,
    int maxInFlight = 2)
{
    private readonly Lock _gate = new();
    private readonly Queue<Pending> _queue = new();
    private int _inFlight;

    public int MaxBatch { get; } = maxBatch;

    public int MaxInFlight { get; } = maxInFlight;

    public Task<TResult> WriteAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            start = _inFlight < MaxInFlight;
            if (start)
            {
                _inFlight++;
            }
        }

        if (start)
        {
            // Off the caller's (grain's) scheduler: the loop serves every grain of the silo.
            _ = Task.Run(FlushLoopAsync, CancellationToken.None);
        }

        return pending.Done.Task;
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                batch = new List<Pending>(Math.Min(_queue.Count, MaxBatch));
                while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }

            try
            {
                var results = await write([.. batch.Select(p => p.Item)], CancellationToken.None);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"A group commit of {batch.Count} items answered {results.Count} results.");
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                Observability.ShopGrainMetrics.StorageWriteFailed();
                // The grains hand this to callers in other processes, which cannot deserialize Npgsql's exceptions.
                var error = InfrastructureFailures.Translate(ex);
                batch.ForEach(p => p.Done.TrySetException(error));
            }
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);
}
