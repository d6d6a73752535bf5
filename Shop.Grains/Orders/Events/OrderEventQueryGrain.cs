using Orleans.Concurrency;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>Stateless: any silo answers from the shared event log, several activations per silo under load.</summary>
[StatelessWorker]
public sealed class OrderEventQueryGrain(IOrderEventReader reader) : Grain, IOrderEventQueryGrain
{
    public Task<OrderEventPage> ReadAsync(long after, int limit)
    {
        if (!OrderEventQuery.IsValid(after, limit))
        {
            throw new ArgumentOutOfRangeException(nameof(limit),
                $"after must be >= 0 and limit between 1 and {OrderEventQuery.MaxLimit} (got after={after}, limit={limit}).");
        }

        return reader.ReadAsync(after, limit, CancellationToken.None);
    }
}
