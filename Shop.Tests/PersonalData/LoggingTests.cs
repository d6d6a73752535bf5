using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.PersonalData;

/// <summary>
/// The purchase walk with every log line, scope and trace the silo and the API make recorded: the shopper's name,
/// phone and street never appear in any of them (PIPL Art. 51: logs must not become a second copy of the data).
/// </summary>
[Collection(PersonalDataCollection.Name)]
public sealed class LoggingTests(PersonalDataCluster fixture)
{
    private ShopTestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task The_purchase_walk_leaves_no_name_phone_or_address_in_logs_or_traces()
    {
        var traces = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => traces.Enqueue($"{a.Source.Name} {a.DisplayName} {string.Join(";", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} " +
                $"{string.Join(";", a.Baggage.Select(b => $"{b.Key}={b.Value}"))} {string.Join(";", a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Value}")))}"),
        };
        ActivitySource.AddActivityListener(listener);
        var tag = RandomNumberGenerator.GetInt32(100_000, 999_999).ToString();
        var (name, phone, street) = ("欧阳" + tag, "137" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999), $"翠苑路 {tag} 弄");

        var token = await fixture.LoginAsync("pii-walk-" + Guid.NewGuid().ToString("N"));
        var product = await Cluster.ProductAsync(5);
        var order = await Cluster.Orders(token).CreateAsync(new CreateOrderRequest([new OrderItemRequest(product.Id, 1)],
            new ShippingAddressRequest(name, phone, "浙江省", "杭州市", "西湖区", street), "ring twice"));
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await fixture.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");
        var (read, _) = await fixture.GetAsync(TestTokens.Admin("walk-admin"), $"/api/orders/{order.OrderNo}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using (var admin = Cluster.CreateClient(TestTokens.Admin("walk-admin")))
        {
            var shipped = await admin.PostAsJsonAsync($"/api/admin/orders/{order.OrderNo}/shipments",
                new { logisticsType = "Express", parcels = new[] { new { courier = "SF", trackingNo = "SF" + tag + "0001" } } });
            Assert.Equal(HttpStatusCode.OK, shipped.StatusCode);
        }

        var (export, document) = await fixture.GetAsync(token, "/api/me/data");

        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        ExportTests.AssertMatchesSchema(document!.RootElement);
        var exported = Assert.Single(document.RootElement.GetProperty("orders").EnumerateArray());
        Assert.Equal((phone, "wechat-mini-program"), (exported.GetProperty("shipping").GetProperty("phone").GetString(),
            document.RootElement.GetProperty("subject").GetProperty("loginKind").GetString()));
        Assert.Equal("SF", exported.GetProperty("parcels")[0].GetProperty("courier").GetString());
        Assert.StartsWith("42", exported.GetProperty("payments")[0].GetProperty("transactionId").GetString());
        // The admin's read and the admin's shipment (its answer carries the address) are both in the access log.
        Assert.Equal(2L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personal_data_access WHERE order_no = $1 AND admin_id = 'walk-admin'", order.OrderNo));

        Assert.NotEmpty(fixture.Logs.Containing(order.OrderNo)); // the capture saw this walk
        Assert.Empty(fixture.Logs.Containing(name, phone, street, tag + " 弄"));
        Assert.DoesNotContain(traces, t => t.Contains(phone, StringComparison.Ordinal) || t.Contains(name, StringComparison.Ordinal) || t.Contains(street, StringComparison.Ordinal));
    }
}
