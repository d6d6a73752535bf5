using Microsoft.Extensions.Logging;

namespace Shop.Grains.Hosting;

/// <summary>
/// The cluster's one periodic job of a kind (started by <see cref="StartWhenActive"/>): a single activation that one
/// durable reminder brings back after restarts, on whichever silo is alive, and that a timer keeps sweeping (and keeps
/// alive) while it is active. A failed sweep is logged and the next one retries; a subclass says what a sweep does and
/// how often.
/// </summary>
public abstract class ClusterSweepGrain(string reminderName, string jobName, ILogger logger) : Grain, IRemindable
{
    private IGrainTimer? _timer;

    /// <summary>How often the durable reminder revives the job (its timer does the sweeping while it is active).</summary>
    protected abstract TimeSpan ReminderPeriod { get; }

    protected abstract TimeSpan SweepInterval { get; }

    protected abstract Task SweepOnceAsync();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        StartTimer();
        return Task.CompletedTask;
    }

    public async Task StartAsync()
    {
        await this.RegisterOrUpdateReminder(reminderName, ReminderPeriod, ReminderPeriod);
        StartTimer();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        StartTimer();
        await SweepOnceAsync();
    }

    private void StartTimer() => _timer ??= this.RegisterGrainTimer(
        async _ =>
        {
            try
            {
                await SweepOnceAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "{Job} failed; the next one retries", jobName);
            }
        },
        new GrainTimerCreationOptions(SweepInterval, SweepInterval) { KeepAlive = true });
}
