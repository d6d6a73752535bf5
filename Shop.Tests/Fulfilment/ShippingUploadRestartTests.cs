using Shop.Tests.Infrastructure;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Fulfilment;

/// <summary>
/// The upload is stored with the order, not held in a silo's memory: an upload still failing when its silo stops is
/// sent by the silo that takes over (its due-order sweep finds the order), without anyone touching the order again.
/// </summary>
[Collection(ShippingCollection.Name)]
public sealed class ShippingUploadRestartTests(ShippingCluster shipping)
{
    [Fact]
    public async Task An_upload_pending_when_its_silo_stops_is_sent_by_the_silo_that_takes_over()
    {
        var (_, _, order) = await shipping.PaidOrderAsync("restart", 1_999);
        await shipping.ControlAsync(HttpMethod.Post, "/simulator/miniprogram/faults",
            new { count = 1000, status = 503, path = "/wxa/sec/order/upload_shipping_info" });
        try
        {
            Ok(await shipping.Admin.ShipAsync(order.OrderNo, ShippingCluster.Express(("EMS", "EM1234567890CN", []))));
            await Poll.UntilAsync(async () => Ok(await shipping.Admin.GetUploadAsync(order.OrderNo)), u => u.Attempts >= 1,
                TimeSpan.FromSeconds(30), "a first failed attempt");

            // Every silo that ever held the order goes; a new one takes over.
            var before = shipping.Cluster.Silos.Where(s => s.IsRunning).ToList();
            await shipping.Cluster.StartSiloAsync();
            foreach (var silo in before)
            {
                await silo.StopAsync();
            }
        }
        finally
        {
            await shipping.ControlAsync(HttpMethod.Delete, "/simulator/miniprogram/faults");
        }

        // Watched at WeChat's side only: asking the order would activate it, and its activation would send the upload too.
        await Poll.UntilAsync(() => shipping.WeChatShippingAsync(order.OrderNo), w => w["uploads"]!.AsArray().Count > 0,
            TimeSpan.FromSeconds(45), "the upload after the restart");
        var upload = await shipping.WaitForUploadAsync(order.OrderNo, "Uploaded");
        Assert.True(upload.Attempts >= 2, $"attempts {upload.Attempts}");
        Assert.Single((await shipping.WeChatShippingAsync(order.OrderNo))["uploads"]!.AsArray());
    }
}
