using System.Diagnostics.Metrics;
using Shop.Hosting;

namespace Shop.Grains.Fulfilment;

/// <summary>
/// Shipping-information uploads: attempts by result (uploaded, retry, failed) in this silo, and (read from the orders
/// table every <see cref="ShippingUploadBacklog.Interval"/>, the same figures on every silo: take max, never sum) the
/// orders waiting for an upload, the failed ones, and how long the oldest has waited.
/// </summary>
public sealed class ShippingMetrics
{
    private readonly Counter<long> _uploads;

    public ShippingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ShopObservability.ShopSource);
        _uploads = meter.CreateCounter<long>("shop.shipping.uploads", "{upload}",
            "Attempts to upload an order's shipping information to WeChat, by result (uploaded, retry, failed).");
    }

    public void UploadAttempted(string result) => _uploads.Add(1, new KeyValuePair<string, object?>("result", result));
}
