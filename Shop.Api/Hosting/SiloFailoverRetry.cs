using Orleans.Runtime.Messaging;

namespace Shop.Api.Hosting;

/// <summary>
/// Repeats a grain call that failed because the silo holding the grain died (or the connection to it broke), until the
/// cluster has declared it dead and the grain answers from another silo, within <c>Api:SiloFailoverRetryTimeout</c>
/// (20 s: death is declared in about 10). Only for calls whose repeat cannot do anything twice: reads, order creation
/// (the Idempotency-Key's grain answers a repeat with the first outcome) and WeChat Pay notifications (applying one
/// twice changes nothing). Everything else fails with 503 and leaves the decision to the client.
/// </summary>
public sealed class SiloFailoverRetry(IConfiguration configuration, TimeProvider time, ILogger<SiloFailoverRetry> logger)
{
    private readonly TimeSpan _timeout = configuration.GetValue("Api:SiloFailoverRetryTimeout", TimeSpan.FromSeconds(20));

    /// <summary>The failures that mean "the silo went away", never "the grain said no" or "the database failed".</summary>
    public static bool IsSiloFailure(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException;

    /// <summary>
    /// Runs <paramref name="call"/>, again after a silo failure, and once more beside it when it has not answered within
    /// a quarter of the budget: a request sent through a gateway that died is never answered (the client only gives
    /// up after its 30 s response timeout), and only a new attempt through a live gateway gets the shopper an answer.
    /// At most two attempts run at once; the first answer wins.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> call, string what, CancellationToken cancellationToken)
    {
        var giveUpAt = time.GetUtcNow() + _timeout;
        var hedgeAfter = _timeout / 4;
        var first = call();
        if (first.IsCompletedSuccessfully)
        {
            return first.Result;
        }

        // The common case costs one timer: no linked token source, no WhenAny (this wraps every read and every order).
        try
        {
            return await first.WaitAsync(hedgeAfter, time, CancellationToken.None);
        }
        catch (TimeoutException) when (!first.IsCompleted)
        {
            logger.LogWarning("{What} has not answered in {Seconds} s (a gateway or silo may have died); trying again beside it", what, hedgeAfter.TotalSeconds);
            return await RetryAsync([first, call()], 2, call, what, giveUpAt, hedgeAfter, cancellationToken);
        }
        catch (Exception ex) when (IsSiloFailure(ex) && time.GetUtcNow() < giveUpAt && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("{What} failed on a silo that went away (attempt 1): {Message}; retrying", what, ex.Message);
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
            return await RetryAsync([call()], 2, call, what, giveUpAt, hedgeAfter, cancellationToken);
        }
    }

    private async Task<T> RetryAsync<T>(
        List<Task<T>> running, int attempt, Func<Task<T>> call, string what, DateTimeOffset giveUpAt, TimeSpan hedgeAfter,
        CancellationToken cancellationToken)
    {
        for (; ; )
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var hedge = running.Count < 2 && time.GetUtcNow() + hedgeAfter < giveUpAt ? Task.Delay(hedgeAfter, time, wait.Token) : null;
            var done = await Task.WhenAny(hedge is null ? running : [.. running, hedge]);
            await wait.CancelAsync();
            if (done == hedge)
            {
                logger.LogWarning("{What} has not answered in {Seconds} s (a gateway or silo may have died); trying again beside it", what, hedgeAfter.TotalSeconds);
                running.Add(call());
                attempt++;
                continue;
            }

            var finished = (Task<T>)done;
            running.Remove(finished);
            try
            {
                return await finished;
            }
            catch (Exception ex) when (IsSiloFailure(ex) && time.GetUtcNow() < giveUpAt && !cancellationToken.IsCancellationRequested)
            {
                if (running.Count > 0)
                {
                    continue;
                }

                logger.LogWarning("{What} failed on a silo that went away (attempt {Attempt}): {Message}; retrying", what, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 << Math.Min(attempt - 1, 4))), time, cancellationToken);
                running.Add(call());
                attempt++;
            }
            catch (Exception) when (running.Count > 0)
            {
                // Another attempt is still out: its answer is as good as this one's.
                continue;
            }
        }
    }
}

/// <summary>Marks a non-GET route as safe to repeat after a silo failure (see <see cref="SiloFailoverRetry"/>).</summary>
public sealed class IdempotentCall
{
    public static readonly IdempotentCall Instance = new();

    private IdempotentCall()
    {
    }
}

/// <summary>Applies <see cref="SiloFailoverRetry"/> to every GET/HEAD route and every route marked <see cref="IdempotentCall"/>.</summary>
internal sealed class SiloFailoverRetryFilter(SiloFailoverRetry retry) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.GetEndpoint()?.Metadata.GetMetadata<IdempotentCall>() is null)
        {
            return await next(context);
        }

        // The handler runs again with the arguments already bound (the body was read once, before the filter).
        return await retry.RunAsync(() => next(context).AsTask(), $"{http.Request.Method} {http.Request.Path}", http.RequestAborted);
    }
}
