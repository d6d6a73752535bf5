using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.Grains.Hosting;

/// <summary>
/// Starts a cluster-wide background grain (a sweep, a scheduler) when this silo becomes active. In the background and
/// retried: a silo that starts while PostgreSQL is briefly away still gets it going once it is back.
/// </summary>
public sealed class StartWhenActive(string what, Func<IGrainFactory, Task> start, TimeSpan retryEvery, IGrainFactory grains, ILogger<StartWhenActive> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe($"{nameof(StartWhenActive)}:{what}", ServiceLifecycleStage.Active,
        started =>
        {
            _ = Task.Run(() => StartLoopAsync(_stopping.Token), CancellationToken.None);
            return Task.CompletedTask;
        },
        stopping =>
        {
            _stopping.Cancel();
            return Task.CompletedTask;
        });

    private async Task StartLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await start(grains);
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(ex, "The {What} did not start yet; retrying in {Delay}", what, retryEvery);
                try
                {
                    await Task.Delay(retryEvery, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

public static class StartWhenActiveExtensions
{
    /// <summary>Starts <paramref name="start"/> on every silo when it becomes active (see <see cref="StartWhenActive"/>).</summary>
    public static IServiceCollection AddStartWhenActive(this IServiceCollection services, string what, Func<IGrainFactory, Task> start,
        TimeSpan? retryEvery = null) =>
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new StartWhenActive(what, start, retryEvery ?? TimeSpan.FromSeconds(5),
            sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ILogger<StartWhenActive>>()));
}
