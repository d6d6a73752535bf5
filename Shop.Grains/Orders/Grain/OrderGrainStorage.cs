using System.Globalization;
using System.Text.Json;
using Orleans.Storage;

namespace Shop.Grains.Orders;

/// <summary>
/// The "orders" grain storage: an order's state is one row of the orders table, so creating an order is one INSERT
/// and each change one UPDATE fenced by the row's version (a stale writer gets <see cref="InconsistentStateException"/>).
/// A number this silo has just minted is known to have no row, so its first activation reads nothing.
/// </summary>
public sealed class OrderGrainStorage(IOrderStore store, FreshOrderNumbers fresh) : IGrainStorage
{
    public const string Name = "orders";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var orderNo = grainId.Key.ToString()!;
        var stored = fresh.TryTake(orderNo) ? null : await store.ReadAsync(orderNo, CancellationToken.None);
        if (stored is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = JsonSerializer.Deserialize<T>(stored.StateJson, OrderStateJson.Options)!;
        grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var row = OrderStateJson.ToRow(AsOrder(grainState.State));
        if (grainState.ETag is null)
        {
            if (!await store.InsertAsync(row, CancellationToken.None))
            {
                throw new InconsistentStateException($"Order {row.OrderNo} already exists.", "unknown", "none");
            }

            grainState.ETag = "1";
        }
        else
        {
            var expected = long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
            if (!await store.UpdateAsync(row, expected, CancellationToken.None))
            {
                throw new InconsistentStateException($"Order {row.OrderNo} changed since version {expected}.", "unknown", grainState.ETag);
            }

            grainState.ETag = (expected + 1).ToString(CultureInfo.InvariantCulture);
        }

        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is { } etag && !await store.DeleteAsync(grainId.Key.ToString()!, long.Parse(etag, CultureInfo.InvariantCulture), CancellationToken.None))
        {
            throw new InconsistentStateException($"Order {grainId.Key} changed since version {etag}.", "unknown", etag);
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static OrderState AsOrder<T>(T state) =>
        state as OrderState ?? throw new InvalidOperationException($"The {Name} storage only stores {nameof(OrderState)}, not {typeof(T).Name}.");
}
