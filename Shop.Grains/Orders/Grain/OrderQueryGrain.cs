using Orleans.Concurrency;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

[StatelessWorker]
public sealed class OrderQueryGrain(IOrderStore store) : Grain, IOrderQueryGrain
{
    public Task<OrderListPage> ListAsync(OrderListQuery query) => store.ListAsync(query, CancellationToken.None);
}
