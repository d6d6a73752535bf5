using System.Diagnostics;
using System.Net;
using Shop.Client.PersonalData;
using Shop.Grains.PersonalData.Audit;
using Shop.Tests.Deploy;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.PersonalData;

/// <summary>Operators' reads of decrypted personal data go to the access log (PostgreSQL) first, or not at all.</summary>
[Collection(PersonalDataCollection.Name)]
public sealed class AuditTests(PersonalDataCluster fixture)
{
    private ShopTestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task An_admin_reading_an_order_is_logged_with_fields_reason_and_trace_and_the_owner_reading_it_is_not()
    {
        var customer = "audit-" + Guid.NewGuid().ToString("N")[..12];
        var admin = "ops-" + Guid.NewGuid().ToString("N")[..8];
        var product = await Cluster.ProductAsync(5);
        var order = await Cluster.Orders(TestTokens.Customer(customer)).CreateAsync(OrderTestSupport.Request((product.Id, 1)));
        var before = (await PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress)).Sum(PersonalDataMetrics.AccessRecords, ("purpose", "order-read"));

        Assert.Equal(HttpStatusCode.OK, (await fixture.GetAsync(TestTokens.Customer(customer), $"/api/orders/{order.OrderNo}")).Response.StatusCode);
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personal_data_access WHERE order_no = $1", order.OrderNo));

        var trace = ActivityTraceId.CreateRandom().ToHexString();
        var (read, body) = await fixture.GetAsync(TestTokens.Admin(admin), $"/api/orders/{order.OrderNo}", h =>
        {
            h.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            h.Add("X-Access-Reason", "ticket 7");
        });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(OrderTestSupport.Phone, body!.RootElement.GetProperty("shippingAddress").GetProperty("phone").GetString());
        Assert.Equal($"{admin}|{customer}|name,phone,address,remark|order-read|ticket 7|{trace}", await fixture.ScalarAsync<string>(
            "SELECT concat_ws('|', admin_id, customer_id, array_to_string(fields, ','), purpose, reason, trace_id) FROM personal_data_access WHERE order_no = $1",
            order.OrderNo));

        var (list, page) = await fixture.GetAsync(TestTokens.Admin(), $"/api/admin/personal-data-access?customer={customer}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var item = Assert.Single(page!.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal((order.OrderNo, admin, "order-read"), (item.GetProperty("orderNo").GetString(), item.GetProperty("admin").GetString(), item.GetProperty("purpose").GetString()));
        Assert.Empty((await fixture.GetAsync(TestTokens.Admin(), $"/api/admin/personal-data-access?customer={customer}&admin=someone-else")).Body!.RootElement.GetProperty("items").EnumerateArray());
        Assert.Empty((await fixture.GetAsync(TestTokens.Admin(), $"/api/admin/personal-data-access?customer={customer}&from={DateTimeOffset.UtcNow.AddMinutes(5):O}".Replace("+", "%2B"))).Body!.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.GetAsync(TestTokens.Admin(), "/api/admin/personal-data-access?from=yesterday")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.GetAsync(TestTokens.Customer(customer), "/api/admin/personal-data-access")).Response.StatusCode);
        await Poll.UntilAsync(() => PrometheusText.ScrapeAsync(Cluster.Silos[0].HttpAddress),
            m => m.Sum(PersonalDataMetrics.AccessRecords, ("purpose", "order-read")) > before, TimeSpan.FromSeconds(20), "the access record counter on the silo's /metrics");
    }

    [Fact]
    public async Task The_log_pages_newest_first()
    {
        var customer = "audit-pages-" + Guid.NewGuid().ToString("N")[..12];
        var product = await Cluster.ProductAsync(5);
        var orders = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            orders.Add((await Cluster.Orders(TestTokens.Customer(customer)).CreateAsync(OrderTestSupport.Request((product.Id, 1)))).OrderNo);
            Assert.Equal(HttpStatusCode.OK, (await fixture.GetAsync(TestTokens.Admin(), $"/api/orders/{orders[i]}")).Response.StatusCode);
        }

        var first = (await fixture.GetAsync(TestTokens.Admin(), $"/api/admin/personal-data-access?customer={customer}&size=2")).Body!.RootElement;
        var next = first.GetProperty("next").GetInt64();
        var second = (await fixture.GetAsync(TestTokens.Admin(), $"/api/admin/personal-data-access?customer={customer}&size=2&before={next}")).Body!.RootElement;

        Assert.Equal([orders[2], orders[1], orders[0]], first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("orderNo").GetString()!));
        Assert.Equal(JsonValueKindNull, second.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task When_the_access_log_cannot_be_written_the_admin_gets_503_and_no_personal_data()
    {
        var customer = "audit-down-" + Guid.NewGuid().ToString("N")[..12];
        var product = await Cluster.ProductAsync(5);
        var order = await Cluster.Orders(TestTokens.Customer(customer)).CreateAsync(OrderTestSupport.Request((product.Id, 1)));
        await fixture.ExecuteAsync("ALTER TABLE personal_data_access RENAME TO personal_data_access_away");
        try
        {
            var (read, body) = await fixture.GetAsync(TestTokens.Admin(), $"/api/orders/{order.OrderNo}");
            var (export, _) = await fixture.GetAsync(TestTokens.Admin(), $"/api/admin/customers/{customer}/data?reason=check");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.NotNull(read.Headers.RetryAfter);
            Assert.Equal(PersonalDataErrorCodes.AccessLogUnavailable, body!.RootElement.GetProperty("code").GetString());
            Assert.DoesNotContain(OrderTestSupport.Phone, body.RootElement.GetRawText());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, export.StatusCode);
            // The owner's own reads are not operator access: they do not depend on the log.
            Assert.Equal(HttpStatusCode.OK, (await fixture.GetAsync(TestTokens.Customer(customer), $"/api/orders/{order.OrderNo}")).Response.StatusCode);
        }
        finally
        {
            await fixture.ExecuteAsync("ALTER TABLE personal_data_access_away RENAME TO personal_data_access");
        }
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
