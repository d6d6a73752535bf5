using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Shop.Client.Orders;
using Shop.Client.Payments;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;

namespace Shop.Tests.Payments;

internal static class PaymentTestSupport
{
    public static IPaymentsApi Payments(this ShopTestCluster cluster, string token) => PaymentsApiClient.Create(cluster.CreateClient(token));

    /// <summary>A new order of <paramref name="quantity"/> units of a fresh product with 10 in stock.</summary>
    public static async Task<(OrderResponse Order, string ProductId)> OrderAsync(this ShopTestCluster cluster, string token, int quantity = 2, long price = 1_999)
    {
        var product = await cluster.ProductAsync(10, price);
        var order = await cluster.Orders(token).CreateAsync(OrderTestSupport.Request((product.Id, quantity)));
        return (order, product.Id);
    }

    public static async Task<WeChatJsapiPaymentResponse> PrepayAsync(this ShopTestCluster cluster, string token, string orderNo) =>
        OrderTestSupport.Ok(await cluster.Payments(token).PayWithWeChatAsync(orderNo));

    public static string PrepayId(this WeChatJsapiPaymentResponse payment) => payment.Package["prepay_id=".Length..];

    public static Task<OrderResponse> WaitForStatusAsync(this ShopTestCluster cluster, string token, string orderNo, string status) =>
        Poll.UntilAsync(async () => OrderTestSupport.Ok(await cluster.Orders(token).GetOrderAsync(orderNo)), o => o.Status == status,
            TimeSpan.FromSeconds(60), $"order {orderNo} to be {status}");

    public static int Transitions(this OrderResponse order, string trigger) => order.History.Count(h => h.Trigger == trigger);

    /// <summary>paySign verifies with the merchant certificate over appId\ntimeStamp\nnonceStr\npackage\n.</summary>
    public static bool PaySignVerifies(this WeChatJsapiPaymentResponse payment, string certificatePath)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        using var key = certificate.GetRSAPublicKey()!;
        var message = Encoding.UTF8.GetBytes($"{payment.AppId}\n{payment.TimeStamp}\n{payment.NonceStr}\n{payment.Package}\n");
        return key.VerifyData(message, Convert.FromBase64String(payment.PaySign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public static async Task<(HttpStatusCode Status, string Body)> PostNotificationAsync(this ShopTestCluster cluster, CraftedNotification notification)
    {
        using var client = cluster.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/wechat/notify")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(notification.Body)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        foreach (var (name, value) in notification.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
