using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.Payments;

/// <summary>
/// Notifications that must not move money: each fails one check and is answered non-2xx with {"code":"FAIL"}, the
/// order unchanged. A correctly made one (the control) pays the order once, and replaying it changes nothing.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class WeChatPayNotificationRejectionTests(PaymentsCluster payments)
{
    private ShopTestCluster Cluster => payments.Cluster;

    private string PlatformKey => File.ReadAllText(payments.PlatformPrivateKeyPath);

    [Fact]
    public async Task Forged_stale_unknown_tampered_and_mismatched_notifications_are_refused_and_a_genuine_one_pays_once()
    {
        var token = await payments.LoginAsync("reject-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 1, price: 2_500);
        await Cluster.PrepayAsync(token, order.OrderNo);
        var merchant = payments.Merchant;
        string Resource(long total, string? mchId = null, string? appId = null) =>
            CraftedNotification.TransactionJson(mchId ?? merchant.MchId, appId ?? merchant.AppId, order.OrderNo, "42000" + RandomNumberGenerator.GetHexString(20), total);
        var genuineBody = CraftedNotification.Envelope(merchant.ApiV3Key, Resource(order.TotalFen));
        using var rogue = RSA.Create(2048);

        // Ten minutes off, as in the vectors: the cases are built up front and a one-second margin would shrink while
        // earlier cases run (the exact 300/301 s boundary is tested with a fake clock in NotificationVectorTests).
        var cases = new (string Name, CraftedNotification Notification, HttpStatusCode Status)[]
        {
            ("forged signature", CraftedNotification.Sign(genuineBody, rogue.ExportPkcs8PrivateKeyPem(), PaymentsCluster.PublicKeyId), HttpStatusCode.Unauthorized),
            ("unknown serial", CraftedNotification.Sign(genuineBody, PlatformKey, "PUB_KEY_ID_0114999999999999999999999999"), HttpStatusCode.InternalServerError),
            ("stale timestamp", CraftedNotification.Sign(genuineBody, PlatformKey, PaymentsCluster.PublicKeyId, DateTimeOffset.UtcNow.AddMinutes(-10)), HttpStatusCode.Unauthorized),
            ("future timestamp", CraftedNotification.Sign(genuineBody, PlatformKey, PaymentsCluster.PublicKeyId, DateTimeOffset.UtcNow.AddMinutes(10)), HttpStatusCode.Unauthorized),
            ("signature probe", Probe(CraftedNotification.Sign(genuineBody, PlatformKey, PaymentsCluster.PublicKeyId)), HttpStatusCode.Unauthorized),
            ("tampered ciphertext", CraftedNotification.Sign(CraftedNotification.Envelope(merchant.ApiV3Key, Resource(order.TotalFen), Flip), PlatformKey, PaymentsCluster.PublicKeyId), HttpStatusCode.BadRequest),
            ("body changed after signing", Tamper(CraftedNotification.Sign(genuineBody, PlatformKey, PaymentsCluster.PublicKeyId)), HttpStatusCode.Unauthorized),
            ("amount mismatch", Signed(Resource(order.TotalFen - 1)), HttpStatusCode.BadRequest),
            ("other merchant", Signed(Resource(order.TotalFen, mchId: "1900000099")), HttpStatusCode.BadRequest),
            ("other app", Signed(Resource(order.TotalFen, appId: "wx0000000000000099")), HttpStatusCode.BadRequest),
        };
        foreach (var (name, notification, status) in cases)
        {
            var (answer, body) = await Cluster.PostNotificationAsync(notification);
            Assert.True(answer == status, $"{name}: expected {(int)status}, got {(int)answer} {body}");
            Assert.Equal("FAIL", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        }

        var unchanged = OrderTestSupportOk(await Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal("PendingPayment", unchanged.Status);
        Assert.Equal(0L, (await Cluster.StockAsync(productId)).Sold);

        var genuine = CraftedNotification.Sign(genuineBody, PlatformKey, PaymentsCluster.PublicKeyId);
        Assert.Equal(HttpStatusCode.NoContent, (await Cluster.PostNotificationAsync(genuine)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Cluster.PostNotificationAsync(genuine)).Status);
        var resent = CraftedNotification.Sign(genuineBody, PlatformKey, PaymentsCluster.PublicKeyId);
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Cluster.PostNotificationAsync(resent)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.Status));
        var paid = OrderTestSupportOk(await Cluster.Orders(token).GetOrderAsync(order.OrderNo));
        Assert.Equal("Paid", paid.Status);
        Assert.Equal(1, paid.Transitions("Pay"));
        Assert.Equal(1L, (await Cluster.StockAsync(productId)).Sold);

        CraftedNotification Signed(string resource) =>
            CraftedNotification.Sign(CraftedNotification.Envelope(merchant.ApiV3Key, resource), PlatformKey, PaymentsCluster.PublicKeyId);
    }

    private static Shop.Client.Orders.OrderResponse OrderTestSupportOk(Refit.IApiResponse<Shop.Client.Orders.OrderResponse> response) =>
        Shop.Tests.Orders.Flow.OrderTestSupport.Ok(response);

    private static string Flip(string ciphertext)
    {
        var bytes = Convert.FromBase64String(ciphertext);
        bytes[0] ^= 0x01;
        return Convert.ToBase64String(bytes);
    }

    private static CraftedNotification Probe(CraftedNotification n) =>
        n with { Headers = new Dictionary<string, string>(n.Headers) { ["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + n.Headers["Wechatpay-Signature"] } };

    private static CraftedNotification Tamper(CraftedNotification n) => n with { Body = n.Body.Replace("\"summary\":", "\"summary\" :", StringComparison.Ordinal) };
}
