namespace Shop.WeChatPay;

/// <summary>
/// WeChat Pay merchant settings (configuration section, e.g. "WeChatPay"). Secrets (private key file, APIv3 key)
/// belong in a secret store; nothing here has a usable default.
/// </summary>
public sealed record WeChatPayOptions
{
    public const string DefaultBaseUrl = "https://api.mch.weixin.qq.com";

    /// <summary>Merchant id (商户号), digits.</summary>
    public string MchId { get; init; } = "";

    /// <summary>Official Account / Mini Program appid bound to the merchant.</summary>
    public string AppId { get; init; } = "";

    /// <summary>Path of apiclient_key.pem (PKCS#8 RSA private key of the merchant API certificate).</summary>
    public string MerchantPrivateKeyPath { get; init; } = "";

    /// <summary>Serial of the merchant API certificate exactly as 商户平台 shows it (hex).</summary>
    public string MerchantCertificateSerial { get; init; } = "";

    /// <summary>The 32-character APIv3 key (not the APIv2 key).</summary>
    public string ApiV3Key { get; init; } = "";

    /// <summary>WeChat Pay public key id (PUB_KEY_ID_…); set together with <see cref="PublicKeyPath"/>.</summary>
    public string? PublicKeyId { get; init; }

    /// <summary>Path of pub_key.pem, the WeChat Pay public key.</summary>
    public string? PublicKeyPath { get; init; }

    /// <summary>
    /// Whether to download and trust platform certificates from /v3/certificates. Null means: only when no public key
    /// is configured. Set true while migrating from certificates to the public key (both must be accepted then).
    /// </summary>
    public bool? UsePlatformCertificates { get; init; }

    /// <summary>Payment notification URL: https, no query string (http only for loopback simulators).</summary>
    public string NotifyUrl { get; init; } = "";

    /// <summary>API base URL; https (http only for loopback simulators).</summary>
    public string BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>How often platform certificates are downloaded (the docs ask for less than 12 h).</summary>
    public TimeSpan CertificateRefreshInterval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Least time between refreshes triggered by an unknown Wechatpay-Serial.</summary>
    public TimeSpan UnknownSerialRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Sent as User-Agent; WeChat Pay answers 400 without one.</summary>
    public string UserAgent { get; init; } = "Shop.WeChatPay/1.0";

    /// <summary>Total time a call a shopper waits on (prepay, the close before a cancel) may take, retries included.</summary>
    public TimeSpan ShopperTimeBudget { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Per-attempt timeout of every call (shortened to the time budget where there is one).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Total time of a background call (reconciliation and refund queries, refunds) with its retries.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public WeChatPayCircuitBreakerOptions CircuitBreaker { get; init; } = new();

    public bool PlatformCertificatesEnabled => UsePlatformCertificates ?? string.IsNullOrWhiteSpace(PublicKeyId);

    public bool PublicKeyEnabled => !string.IsNullOrWhiteSpace(PublicKeyId);
}

/// <summary>
/// When WeChat Pay counts as down: at least <see cref="MinimumThroughput"/> calls in <see cref="SamplingDuration"/> of
/// which <see cref="FailureRatio"/> failed (5xx, 408, 429, timeouts, no connection; business refusals do not count).
/// Then no call is made for <see cref="BreakDuration"/>, after which one trial call decides whether to resume.
/// </summary>
public sealed record WeChatPayCircuitBreakerOptions
{
    public double FailureRatio { get; init; } = 0.5;

    public int MinimumThroughput { get; init; } = 10;

    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);
}
