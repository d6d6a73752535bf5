using System.Collections.Concurrent;
using Shop.Grains.Inventory;

namespace Shop.Tests.Inventory;

/// <summary>
/// Fault injection around the real store: writes of chosen SKUs can be made slow or made to fail (before anything
/// reaches PostgreSQL), and every write is counted. Everything else goes to the real store unchanged.
/// </summary>
public sealed class FaultInjectingInventoryStore(IInventoryStore inner) : IInventoryStore
{
    private readonly ConcurrentDictionary<string, Fault> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _appends = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _appendedEvents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _storedOrders = new(StringComparer.Ordinal);

    public void Inject(string sku, TimeSpan delay, bool fail) => _faults[sku] = new Fault(delay, fail);

    public void Clear(string sku) => _faults.TryRemove(sku, out _);

    /// <summary>Writes attempted for the SKU (failed ones included).</summary>
    public int Appends(string sku) => _appends.GetValueOrDefault(sku);

    public int AppendedEvents(string sku) => _appendedEvents.GetValueOrDefault(sku);

    /// <summary>Whether a reservation of this order is in a write that PostgreSQL has acknowledged.</summary>
    public bool IsStored(string orderId) => _storedOrders.ContainsKey(orderId);

    public Task<InventoryLoad> LoadAsync(string sku, CancellationToken cancellationToken = default) =>
        inner.LoadAsync(sku, cancellationToken);

    public async Task AppendAsync(string sku, long version, IReadOnlyList<InventoryEvent> events, CancellationToken cancellationToken = default)
    {
        _appends.AddOrUpdate(sku, 1, (_, n) => n + 1);
        _appendedEvents.AddOrUpdate(sku, events.Count, (_, n) => n + events.Count);
        if (_faults.TryGetValue(sku, out var fault))
        {
            await Task.Delay(fault.Delay, cancellationToken);
            if (fault.Fail)
            {
                throw new IOException($"Injected write failure for {sku} version {version}.");
            }
        }

        await inner.AppendAsync(sku, version, events, cancellationToken);
        foreach (var reserved in events.OfType<StockReserved>())
        {
            _storedOrders[reserved.OrderId] = true;
        }
    }

    public Task SaveSnapshotAsync(string sku, InventorySnapshot snapshot, CancellationToken cancellationToken = default) =>
        inner.SaveSnapshotAsync(sku, snapshot, cancellationToken);

    private sealed record Fault(TimeSpan Delay, bool Fail);
}
