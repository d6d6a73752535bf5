using Shop.WeChatPay.Api;

namespace Shop.Tests.WeChatPay;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData("GET", "/v3/pay/transactions/out-trade-no/WX1?mchid=1900000001", true)]
    [InlineData("GET", "/v3/certificates", true)]
    [InlineData("POST", "/v3/pay/transactions/jsapi", true)]
    [InlineData("POST", "/v3/refund/domestic/refunds", true)]
    [InlineData("POST", "/v3/pay/transactions/out-trade-no/WX1/close", true)]
    [InlineData("POST", "/v3/pay/transactions/out-trade-no/WX1/extra/close", false)]
    [InlineData("POST", "/v3/pay/transactions/out-trade-no//close", false)]
    [InlineData("POST", "/v3/pay/transactions/native", false)]
    [InlineData("POST", "/v3/transfer/batches", false)]
    [InlineData("DELETE", "/v3/pay/transactions/jsapi", false)]
    public void Only_gets_and_key_idempotent_posts_are_retried(string method, string path, bool retried)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.mch.weixin.qq.com" + path);

        Assert.Equal(retried, WeChatPayRetryPolicy.IsSafeToRetry(request));
    }
}
