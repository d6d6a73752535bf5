using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Starts the due-order sweep when this silo becomes active. In the background and retried: a silo that starts while
/// PostgreSQL is briefly away still gets the sweep going once it is back.
/// </summary>
public sealed class OrderDueSweepStarter(IGrainFactory grains, ILogger<OrderDueSweepStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(OrderDueSweepStarter), ServiceLifecycleStage.Active,
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
                await grains.GetGrain<IOrderDueSweepGrain>(IOrderDueSweepGrain.Key).StartAsync();
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(ex, "The due-order sweep did not start yet; retrying in {Delay}", RetryEvery);
                try
                {
                    await Task.Delay(RetryEvery, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
