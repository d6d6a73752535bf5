using System.Net;
using Microsoft.Extensions.Options;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.Tests.WeChatPay.Simulator.Support;

namespace Shop.Tests.Payments;

/// <summary>Payments off (no merchant), misconfigured (start-up fails), and WeChat Pay unreachable (503 + Retry-After).</summary>
public sealed class PaymentsConfigurationTests
{
    [Fact]
    public async Task Without_a_merchant_every_payment_route_answers_503_payments_not_configured()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true);
        var token = TestTokens.Customer("wx:oNotConfigured00000000000001");
        var (order, _) = await cluster.OrderAsync(token);

        OrderTestSupport.Problem(await cluster.Payments(token).PayWithWeChatAsync(order.OrderNo), HttpStatusCode.ServiceUnavailable, "PAYMENTS_NOT_CONFIGURED");
        using var client = cluster.CreateClient();
        using var notify = await client.PostAsync("/api/payments/wechat/notify", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notify.StatusCode);
        Assert.Contains("PAYMENTS_NOT_CONFIGURED", await notify.Content.ReadAsStringAsync());
        Assert.Equal("PendingPayment", OrderTestSupport.Ok(await cluster.Orders(token).GetOrderAsync(order.OrderNo)).Status);
    }

    [Fact]
    public async Task A_malformed_merchant_setting_stops_the_silo_at_start_with_a_message_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => ShopTestCluster.StartAsync(embedded: true, withApi: false, configure: c =>
        {
            c.Settings["WeChatPay:MchId"] = "1900000001";
            c.Settings["WeChatPay:AppId"] = "wx1234567890abcdef";
            c.Settings["WeChatPay:ApiV3Key"] = "too-short";
        }));

        Assert.Contains("ApiV3Key", error.Message);
    }

    [Fact]
    public async Task While_wechat_pay_is_unreachable_prepay_answers_503_with_retry_after_and_the_order_stays_unpaid()
    {
        var directory = Directory.CreateTempSubdirectory("shop-payments-down-").FullName;
        try
        {
            var merchant = MerchantIdentity.Create(directory);
            var publicKey = Path.Combine(directory, "pub_key.pem");
            using (var platform = System.Security.Cryptography.RSA.Create(2048))
            {
                await File.WriteAllTextAsync(publicKey, platform.ExportSubjectPublicKeyInfoPem());
            }

            var nowhere = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
            await using var cluster = await ShopTestCluster.StartAsync(embedded: true, configure: c =>
            {
                foreach (var (key, value) in PaymentsCluster.Settings(merchant, nowhere, new Uri(nowhere, "/notify"), publicKey))
                {
                    c.Settings[key] = value;
                }
            });
            var token = TestTokens.Customer("wx:oUnreachable0000000000000001");
            var (order, _) = await cluster.OrderAsync(token);

            var response = await cluster.Payments(token).PayWithWeChatAsync(order.OrderNo);

            OrderTestSupport.Problem(response, HttpStatusCode.ServiceUnavailable, "PAYMENT_PROVIDER_UNAVAILABLE");
            Assert.True(response.Headers!.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
            Assert.Equal("PendingPayment", OrderTestSupport.Ok(await cluster.Orders(token).GetOrderAsync(order.OrderNo)).Status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
