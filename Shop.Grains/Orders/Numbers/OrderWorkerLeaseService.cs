using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Grains.Orders;

public sealed class OrderNumberOptions
{
    /// <summary>How long a worker-id lease lasts without renewal (database clock).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How far ahead of the current timestamp each renewal reserves. Order numbers stop (rather than risk a
    /// duplicate) when the database has been unreachable for this long; a crashed silo's successor runs this far
    /// ahead of the wall clock until it catches up, which nobody sees because the numbers are permuted.
    /// </summary>
    public TimeSpan ReservationWindow { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Gives this silo's <see cref="OrderNumberGenerator"/> its worker id: a lease in PostgreSQL claimed before the silo
/// serves grains, renewed in the background and released on stop; in the embedded mode (one silo, nothing persisted)
/// the fixed id 0.
/// </summary>
public sealed class OrderWorkerLeaseService(
    OrderNumberGenerator generator,
    PostgresWorkerLeases? leases,
    ILocalSiloDetails silo,
    IOptions<OrderNumberOptions> options,
    ILogger<OrderWorkerLeaseService> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public const int EmbeddedWorkerId = 0;
    private readonly OrderNumberOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();
    private Task _renewLoop = Task.CompletedTask;
    private int _workerId = -1;

    /// <summary>Names the lease holder: cluster and silo address including its generation, unique per process start.</summary>
    public string HolderName => $"{silo.ClusterId}/{silo.SiloAddress.ToParsableString()}";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OrderWorkerLeaseService), ServiceLifecycleStage.ApplicationServices, StartAsync, StopAsync);

    private long WindowMs => (long)_options.ReservationWindow.TotalMilliseconds;

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (leases is null)
        {
            generator.Assign(EmbeddedWorkerId, floor: 0, reservedUntil: Snowflake.MaxTimestamp);
            return;
        }

        await ClaimAsync(cancellationToken);
        _renewLoop = Task.Run(() => RenewLoopAsync(_stopping.Token), CancellationToken.None);
    }

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        var claim = await leases!.ClaimAsync(HolderName, _options.LeaseDuration, generator.CurrentTimestamp, WindowMs, cancellationToken)
            ?? throw new InvalidOperationException(
                $"All {Snowflake.WorkerIdCount} order worker ids are leased (table order_worker_leases); no order numbers can be issued by this silo.");
        generator.Assign(claim.WorkerId, claim.Floor, claim.ReservedUntil, renewAhead: WindowMs / 2);
        _workerId = claim.WorkerId;
        logger.LogInformation("Order numbers: leased worker id {WorkerId} as {Holder}", claim.WorkerId, HolderName);
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // On the interval, or at once when the generator is about to run out (e.g. the clock jumped forward).
            await Task.WhenAny(Task.Delay(_options.RenewInterval, cancellationToken), generator.RenewalWanted);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var renewed = await leases!.RenewAsync(
                    _workerId, HolderName, _options.LeaseDuration, generator.CurrentTimestamp + WindowMs, cancellationToken);
                if (renewed is { } highWater)
                {
                    generator.Extend(highWater);
                    continue;
                }

                // Another silo claimed the id while we could not renew (e.g. a long database outage). Numbers
                // issued under the old id stay below the high-water mark the new holder started above.
                logger.LogWarning("Order worker id {WorkerId} was claimed by another silo; leasing a new one", _workerId);
                await ClaimAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Could not renew order worker id {WorkerId}; retrying", _workerId);
                await Task.WhenAny(Task.Delay(RetryDelay, cancellationToken));
            }
        }
    }

    private TimeSpan RetryDelay => _options.RenewInterval < TimeSpan.FromSeconds(1) ? _options.RenewInterval : TimeSpan.FromSeconds(1);

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        var last = generator.Close();
        if (leases is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _renewLoop;
        try
        {
            await leases.ReleaseAsync(_workerId, HolderName, last, cancellationToken);
            logger.LogInformation("Order numbers: released worker id {WorkerId}", _workerId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not fatal: the lease expires by itself and its high-water mark still fences the next holder.
            logger.LogWarning(ex, "Could not release order worker id {WorkerId}; it expires in {Duration}", _workerId, _options.LeaseDuration);
        }
    }
}
