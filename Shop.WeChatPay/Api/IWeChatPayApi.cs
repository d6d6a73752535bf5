using Refit;

namespace Shop.WeChatPay.Api;

/// <summary>
/// WeChat Pay API v3 (direct merchant). Every call is signed and every response verified by the handlers that
/// <c>AddWeChatPay</c> installs; a non-2xx answer throws <see cref="WeChatPayApiException"/>.
/// </summary>
public interface IWeChatPayApi
{
    [Post("/v3/pay/transactions/jsapi")]
    Task<PrepayResponse> JsapiPrepayAsync([Body] JsapiPrepayRequest request, CancellationToken cancellationToken = default);

    /// <summary>The only query that works for an unpaid order.</summary>
    [Get("/v3/pay/transactions/out-trade-no/{outTradeNo}")]
    Task<Transaction> QueryByOutTradeNoAsync(string outTradeNo, [Query, AliasAs("mchid")] string mchId, CancellationToken cancellationToken = default);

    /// <summary>Works only after payment.</summary>
    [Get("/v3/pay/transactions/id/{transactionId}")]
    Task<Transaction> QueryByTransactionIdAsync(string transactionId, [Query, AliasAs("mchid")] string mchId, CancellationToken cancellationToken = default);

    /// <summary>Answered with 204. After any close error, query and decide from the query, never from the error.</summary>
    [Post("/v3/pay/transactions/out-trade-no/{outTradeNo}/close")]
    Task CloseAsync(string outTradeNo, [Body] CloseOrderRequest request, CancellationToken cancellationToken = default);

    [Post("/v3/refund/domestic/refunds")]
    Task<Refund> CreateRefundAsync([Body] RefundRequest request, CancellationToken cancellationToken = default);

    /// <summary>No mchid query parameter for direct merchants.</summary>
    [Get("/v3/refund/domestic/refunds/{outRefundNo}")]
    Task<Refund> QueryRefundAsync(string outRefundNo, CancellationToken cancellationToken = default);

    [Get("/v3/certificates")]
    Task<CertificateList> GetCertificatesAsync(CancellationToken cancellationToken = default);
}
