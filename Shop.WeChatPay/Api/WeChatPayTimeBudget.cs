using System.Diagnostics;

namespace Shop.WeChatPay.Api;

/// <summary>
/// A total time budget for a call a shopper waits on (prepay, the close before a cancel): every attempt, retry delay
/// and the response together end by the deadline, so a hanging WeChat Pay costs the shopper the budget, not the
/// background policy's 30 s. The deadline travels with the call (an async-local the resilience pipeline reads), so the
/// attempt that runs out is cut by the pipeline's own attempt timeout and counts as a failure for the circuit breaker.
/// Calls made outside <see cref="RunAsync{T}"/> (reconciliation, refund queries) keep the longer policy.
/// </summary>
public static class WeChatPayTimeBudget
{
    /// <summary>Below this no new attempt or retry is started: it could not finish in time.</summary>
    internal static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(100);

    /// <summary>The total timeout lags the attempt timeout so the cut lands inside the circuit breaker, not outside it.</summary>
    private static readonly TimeSpan TotalLag = TimeSpan.FromMilliseconds(250);

    private static readonly AsyncLocal<long?> Deadline = new();

    public static async Task<T> RunAsync<T>(TimeSpan budget, Func<CancellationToken, Task<T>> call)
    {
        // Set inside this async method: the value flows into the call and never back out to the caller.
        Deadline.Value = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        // A hard stop for anything outside the pipeline's timeouts (reading the response body).
        using var hardStop = new CancellationTokenSource(budget + TotalLag);
        return await call(hardStop.Token).ConfigureAwait(false);
    }

    public static Task RunAsync(TimeSpan budget, Func<CancellationToken, Task> call) => RunAsync(budget, async ct =>
    {
        await call(ct).ConfigureAwait(false);
        return true;
    });

    /// <summary>Time left of the current call's budget; null outside a budgeted call.</summary>
    internal static TimeSpan? Remaining => Deadline.Value is { } deadline ? Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline) : null;

    internal static TimeSpan AttemptTimeout(TimeSpan configured) =>
        Remaining is { } left && left < configured ? Max(left, MinimumAttempt) : configured;

    internal static TimeSpan TotalTimeout(TimeSpan configured) =>
        Remaining is { } left && left + TotalLag < configured ? Max(left, MinimumAttempt) + TotalLag : configured;

    /// <summary>Whether another attempt fits: false once the budget is (nearly) spent.</summary>
    internal static bool RoomForAnotherAttempt => Remaining is not { } left || left >= MinimumAttempt;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
