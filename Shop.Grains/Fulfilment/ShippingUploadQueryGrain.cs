using Orleans.Concurrency;
using Shop.Grains.Interfaces.Fulfilment;

namespace Shop.Grains.Fulfilment;

[StatelessWorker]
public sealed class ShippingUploadQueryGrain(IShippingUploadStore store) : Grain, IShippingUploadQueryGrain
{
    public Task<IReadOnlyList<ShippingUploadListItem>> ListAsync(ShippingUploadState state, int limit) =>
        store.ListAsync(state, Math.Clamp(limit, 1, 500), CancellationToken.None);
}
