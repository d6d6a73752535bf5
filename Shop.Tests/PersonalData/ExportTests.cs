using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Shop.Client.PersonalData;
using Shop.Client.Shipping;
using Shop.Tests.Shipping;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.Payments;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Controls;
using Shop.Grains.Interfaces.Payments;

namespace Shop.Tests.PersonalData;

/// <summary>GET /api/me/data and the admin export, through HTTP against stored orders in PostgreSQL.</summary>
[Collection(PersonalDataCollection.Name)]
public sealed class ExportTests(PersonalDataCluster fixture)
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "personal-data-export.schema.json"))));

    private ShopTestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task The_export_streams_hundreds_of_orders_decrypted_complete_and_valid_against_the_schema()
    {
        var user = "exp-" + Guid.NewGuid().ToString("N")[..12];
        var token = TestTokens.Customer(user);
        var orders = await ExportSeed.OrdersAsync(Cluster, user, 300);
        var someoneElse = await ExportSeed.OrdersAsync(Cluster, user + "-other", 1);
        var afterSales = await ExportSeed.AfterSalesAsync(Cluster, user, orders[0].OrderNo);
        var product = await Cluster.ProductAsync(5);
        using (var client = Cluster.CreateClient(token))
        {
            (await client.PutAsJsonAsync($"/api/cart/items/{product.Id}", new { quantity = 2 })).EnsureSuccessStatusCode();
        }

        var saved = OrderTestSupport.Ok(await Cluster.Shipping(token).AddAddressAsync(
            new AddressRequest("导出 收件人", "13700001111", "北京市", "北京市", "东城区", "导出路 9 号")), HttpStatusCode.Created);

        var (response, body) = await fixture.GetAsync(token, "/api/me/data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Null(response.Content.Headers.ContentLength); // written as it is read, never buffered whole
        var root = body!.RootElement;
        AssertMatchesSchema(root);
        var exported = root.GetProperty("orders").EnumerateArray().ToList();
        Assert.Equal(orders.Select(o => o.OrderNo), exported.Select(o => o.GetProperty("orderNo").GetString()));
        Assert.DoesNotContain(someoneElse[0].OrderNo, root.GetRawText());
        for (var i = 0; i < orders.Count; i++)
        {
            var shipping = exported[i].GetProperty("shipping");
            Assert.Equal((orders[i].Address.Name, orders[i].Address.Phone, orders[i].Address.Detail),
                (shipping.GetProperty("name").GetString(), shipping.GetProperty("phone").GetString(), shipping.GetProperty("detail").GetString()));
            Assert.Equal("call " + orders[i].Address.Phone, exported[i].GetProperty("remark").GetString());
        }

        var first = exported[0];
        Assert.Equal("Shipped", first.GetProperty("status").GetString());
        Assert.Equal(2_560, first.GetProperty("payments")[0].GetProperty("amountFen").GetInt64());
        Assert.Equal("SF", first.GetProperty("parcels")[0].GetProperty("courier").GetString());
        Assert.Equal(["Pay", "Ship"], first.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("trigger").GetString()));
        var quotas = root.GetProperty("campaignQuotas").EnumerateArray().ToList();
        Assert.All(quotas, q => Assert.Equal("cp-export", q.GetProperty("campaignId").GetString()));
        Assert.Equal(60, quotas.Sum(q => q.GetProperty("units").GetInt64())); // 30 campaign orders of 2 units
        Assert.Equal(product.Id, root.GetProperty("cart").GetProperty("lines")[0].GetProperty("skuId").GetString());
        var address = Assert.Single(root.GetProperty("addresses").EnumerateArray());
        Assert.Equal((saved.Id, "导出 收件人", "13700001111", "导出路 9 号", saved.RegionCode, true),
            (address.GetProperty("id").GetString(), address.GetProperty("name").GetString(), address.GetProperty("phone").GetString(),
             address.GetProperty("detail").GetString(), address.GetProperty("regionCode").GetString(), address.GetProperty("isDefault").GetBoolean()));
        Assert.Equal(first.GetProperty("totalFen").GetInt64(), 2_560 + first.GetProperty("shippingFeeFen").GetInt64());
        Assert.Equal(afterSales.RequestId, root.GetProperty("afterSalesRequests")[0].GetProperty("requestId").GetString());
        Assert.Equal((user, "token"), (root.GetProperty("subject").GetProperty("userId").GetString(), root.GetProperty("subject").GetProperty("loginKind").GetString()));
        Assert.Equal((300, 1), (root.GetProperty("totals").GetProperty("orders").GetInt64(), root.GetProperty("totals").GetProperty("afterSalesRequests").GetInt64()));
        Assert.DoesNotContain("idempotency", root.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_export_needs_a_fresh_login_and_a_customer_gets_three_a_day_even_after_the_grains_are_gone()
    {
        var user = "exp-limit-" + Guid.NewGuid().ToString("N")[..12];
        await ExportSeed.OrdersAsync(Cluster, user, 1);
        var stale = TestTokens.Create(user, "customer", now: DateTime.UtcNow.AddMinutes(-10));

        var (refused, problem) = await fixture.GetAsync(stale, "/api/me/data");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(PersonalDataErrorCodes.ReauthenticationRequired, problem!.RootElement.GetProperty("code").GetString());
        Assert.Contains("insufficient_user_authentication", refused.Headers.WwwAuthenticate.ToString());

        var fresh = TestTokens.Customer(user);
        for (var i = 0; i < 3; i++)
        {
            var (ok, document) = await fixture.GetAsync(fresh, "/api/me/data");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(1, document!.RootElement.GetProperty("totals").GetProperty("orders").GetInt64());
        }

        // The budget is stored, not held in an activation or an API process: gone from memory, it still counts.
        await Cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var (limited, limit) = await fixture.GetAsync(fresh, "/api/me/data");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(PersonalDataErrorCodes.ExportLimitReached, limit!.RootElement.GetProperty("code").GetString());
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 86_000, 86_400);
        var (other, _) = await fixture.GetAsync(TestTokens.Customer(user + "-2"), "/api/me/data");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task The_export_holds_rejected_orders_with_their_address_and_the_automatic_refund_of_a_late_payment()
    {
        var user = "exp-late-" + Guid.NewGuid().ToString("N")[..12];
        var token = TestTokens.Customer(user);

        // Refused for want of stock. Today nothing is stored for a refused order, but an earlier version stored it
        // (Reserving, then Rejected), and that row keeps the address and remark the customer typed.
        var (rejectedNo, address) = await ExportSeed.RejectedOrderAsync(Cluster, user);

        // A payment that lands on a cancelled order (as in PaymentTimeoutTests): the payment grain refunds it by itself.
        var (late, _) = await Cluster.OrderAsync(token, quantity: 1);
        OrderTestSupport.Ok(await Cluster.Orders(token).CancelOrderAsync(late.OrderNo));
        var prepayId = await PrepayBehindTheShop.OpenAsync(Cluster, late.OrderNo, late.TotalFen, "oLatePayer000000000000000002");
        var paid = await fixture.Controls.PayAsync(new PayCommand(PrepayId: prepayId));
        var refund = Assert.Single((await Poll.UntilAsync(() => Cluster.Grains.GetGrain<IOrderPaymentGrain>(late.OrderNo).GetAsync(),
            s => s.AutomaticRefunds.Count > 0, what: "automatic refund")).AutomaticRefunds);

        var (response, body) = await fixture.GetAsync(token, "/api/me/data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = body!.RootElement;
        AssertMatchesSchema(root);
        var orders = root.GetProperty("orders").EnumerateArray().ToList();
        var rejected = Assert.Single(orders, o => o.GetProperty("status").GetString() == "Rejected");
        var shipping = rejected.GetProperty("shipping");
        Assert.Equal((rejectedNo, address.Name, address.Phone, address.Detail, "call " + address.Phone),
            (rejected.GetProperty("orderNo").GetString(), shipping.GetProperty("name").GetString(), shipping.GetProperty("phone").GetString(),
             shipping.GetProperty("detail").GetString(), rejected.GetProperty("remark").GetString()));
        var cancelled = Assert.Single(orders, o => o.GetProperty("orderNo").GetString() == late.OrderNo);
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        var exportedRefund = Assert.Single(cancelled.GetProperty("automaticRefunds").EnumerateArray());
        Assert.Equal((refund.OutRefundNo, paid.TransactionId, late.TotalFen),
            (exportedRefund.GetProperty("outRefundNo").GetString(), exportedRefund.GetProperty("transactionId").GetString(), exportedRefund.GetProperty("amountFen").GetInt64()));
        Assert.Equal(2, root.GetProperty("totals").GetProperty("orders").GetInt64());
        Assert.Empty(root.GetProperty("campaignQuotas").EnumerateArray());
    }

    [Fact]
    public async Task An_admin_export_needs_a_reason_and_is_in_the_access_log()
    {
        var user = "exp-admin-" + Guid.NewGuid().ToString("N")[..12];
        var orders = await ExportSeed.OrdersAsync(Cluster, user, 2);
        var admin = "ops-" + Guid.NewGuid().ToString("N")[..8];

        var (missing, validation) = await fixture.GetAsync(TestTokens.Admin(admin), $"/api/admin/customers/{user}/data");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True(validation!.RootElement.GetProperty("errors").TryGetProperty("reason", out _));
        var (customer, _) = await fixture.GetAsync(TestTokens.Customer(user), $"/api/admin/customers/{user}/data?reason=curious");
        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);

        var (response, body) = await fixture.GetAsync(TestTokens.Admin(admin), $"/api/admin/customers/{user}/data?reason=PIPL%20request%20T-17");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertMatchesSchema(body!.RootElement);
        Assert.Equal(orders[1].Address.Phone, body.RootElement.GetProperty("orders")[1].GetProperty("shipping").GetProperty("phone").GetString());
        Assert.Equal(1L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM personal_data_access WHERE customer_id = $1 AND admin_id = $2 AND purpose = 'admin-export' AND reason = 'PIPL request T-17' AND order_no IS NULL",
            user, admin));
    }

    internal static void AssertMatchesSchema(JsonElement document)
    {
        var results = Schema.Value.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, JsonSerializer.Serialize(results));
    }
}
