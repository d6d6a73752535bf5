using Microsoft.Extensions.DependencyInjection;

namespace Shop.Grains.Inventory;

/// <summary>Hands the SKU's newest level to the silo's <see cref="InventoryProjection"/>; callers never wait for it.</summary>
public sealed partial class InventoryGrain
{
    private long _projectedVersion;
    private InventoryProjection? _projection;

    private void ProjectAvailable()
    {
        if (_ledger is null || _version <= _projectedVersion)
        {
            return;
        }

        _projection ??= ServiceProvider.GetRequiredService<InventoryProjection>();
        _projection.Set(Sku, _version, _ledger.Available);
        _projectedVersion = _version;
    }
}
