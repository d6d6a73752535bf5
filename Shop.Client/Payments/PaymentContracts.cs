using System.Text.Json.Serialization;

namespace Shop.Client.Payments;

/// <summary>
/// What <c>wx.requestPayment</c> needs, signed by the merchant (names exactly as the mini-program API spells them).
/// The front-end result is only a hint: the order is paid when the server has a verified notification or query.
/// </summary>
public sealed record WeChatJsapiPaymentResponse(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("timeStamp")] string TimeStamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("signType")] string SignType,
    [property: JsonPropertyName("paySign")] string PaySign);

/// <summary>The code from <c>wx.login</c>.</summary>
public sealed record WeChatLoginRequest(string? Code);

public static class PaymentErrorCodes
{
    /// <summary>503: this deployment has no WeChat Pay merchant configured.</summary>
    public const string PaymentsNotConfigured = "PAYMENTS_NOT_CONFIGURED";

    /// <summary>503 with Retry-After: WeChat Pay cannot be reached right now; the order stays unpaid.</summary>
    public const string PaymentProviderUnavailable = "PAYMENT_PROVIDER_UNAVAILABLE";

    /// <summary>409: the order is not waiting for payment (paid, cancelled, expired).</summary>
    public const string OrderNotPayable = "ORDER_NOT_PAYABLE";

    /// <summary>502: WeChat Pay refused the payment request.</summary>
    public const string PaymentRejected = "PAYMENT_REJECTED";

    /// <summary>403: the token is not bound to a WeChat openid (sign in with WeChat first).</summary>
    public const string WeChatOpenIdRequired = "WECHAT_OPENID_REQUIRED";

    /// <summary>400: WeChat did not accept the login code (wrong, used or expired).</summary>
    public const string WeChatCodeInvalid = "WECHAT_CODE_INVALID";

    /// <summary>503: WeChat login is not configured or WeChat cannot be reached.</summary>
    public const string WeChatLoginUnavailable = "WECHAT_LOGIN_UNAVAILABLE";
}
