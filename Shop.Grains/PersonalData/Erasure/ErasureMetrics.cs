using System.Diagnostics.Metrics;
using Shop.Hosting;

namespace Shop.Grains.PersonalData.Erasure;

/// <summary>
/// Erasure requests pending and completed (read from PostgreSQL by the sweep on whichever silo runs it: take max across
/// silos, never sum), and orders anonymised in this silo by reason (erasure, retention).
/// </summary>
public sealed class ErasureMetrics
{
    private readonly Counter<long> _anonymised;
    private long _pending = -1;
    private long _completed = -1;

    public ErasureMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        _anonymised = meter.CreateCounter<long>("shop.personal_data.orders_anonymised", "{order}",
            "Orders whose personal fields were removed, by reason (erasure: a customer's request, retention: the retention period passed).");
        meter.CreateObservableGauge("shop.personal_data.erasure_requests", Observe, "{request}",
            "Erasure requests by status (pending: some orders still wait for a window to close; completed).");
    }

    public void Anonymised(string reason, int count = 1) => _anonymised.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void Counted(long pending, long completed)
    {
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _completed, completed);
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        // Only the silo whose sweep has counted reports: others would report a stale zero.
        if (Volatile.Read(ref _pending) is >= 0 and var pending)
        {
            yield return new Measurement<long>(pending, new KeyValuePair<string, object?>("status", "pending"));
            yield return new Measurement<long>(Volatile.Read(ref _completed), new KeyValuePair<string, object?>("status", "completed"));
        }
    }
}
