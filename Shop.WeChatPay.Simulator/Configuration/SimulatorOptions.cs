namespace Shop.WeChatPay.Simulator.Configuration;

/// <summary>Settings of the simulator (configuration section <c>Simulator</c>), validated at start-up.</summary>
public sealed record SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The id responses and notifications name in Wechatpay-Serial in public-key mode.</summary>
    public string PublicKeyId { get; init; } = "PUB_KEY_ID_0000000000000000000000000001";

    /// <summary>PEM RSA private key of the platform; unset means a fresh 2048-bit key at every start.</summary>
    public string? PlatformPrivateKeyPath { get; init; }

    /// <summary>Where to write the platform public key PEM (the shop's WeChatPay:PublicKeyPath reads it).</summary>
    public string? PlatformPublicKeyOutputPath { get; init; }

    /// <summary>Where to write the self-signed platform certificate PEM (optional).</summary>
    public string? PlatformCertificateOutputPath { get; init; }

    /// <summary>Multiplies the notification retry intervals (15 s … 6 h); e.g. 0.001 turns 24 h into 87 s.</summary>
    public double RetryTimeScale { get; init; } = 1.0;

    /// <summary>How long a notify_url gets to answer; no answer in time counts as a failure.</summary>
    public TimeSpan NotificationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public List<MerchantOptions> Merchants { get; init; } = [];

    /// <summary>Mini-program appid → AppSecret for /sns/jscode2session; an appid without an entry accepts any secret.</summary>
    public Dictionary<string, string> MiniProgramSecrets { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>A merchant the simulator knows: its appids, APIv3 key and API certificate keys.</summary>
public sealed record MerchantOptions
{
    public string MchId { get; init; } = "";

    /// <summary>Appids bound to the merchant; any other appid gets APPID_MCHID_NOT_MATCH.</summary>
    public List<string> AppIds { get; init; } = [];

    public string ApiV3Key { get; init; } = "";

    /// <summary>Which key the merchant verifies with: decides the Wechatpay-Serial of notifications and of responses to requests that name none.</summary>
    public MerchantKeyMode KeyMode { get; init; } = MerchantKeyMode.PublicKey;

    /// <summary>The merchant API certificates requests may be signed with (serial_no in Authorization).</summary>
    public List<MerchantCertificateOptions> Certificates { get; init; } = [];
}

public enum MerchantKeyMode
{
    /// <summary>微信支付公钥: Wechatpay-Serial is the simulator's PUB_KEY_ID_….</summary>
    PublicKey,

    /// <summary>平台证书: Wechatpay-Serial is the platform certificate's hex serial.</summary>
    Certificate,
}

/// <summary>
/// One merchant API certificate: its serial and its public key as a PEM (a certificate, a public key, or the private
/// key itself: only its public part is used), given as a file path or inline.
/// </summary>
public sealed record MerchantCertificateOptions
{
    public string Serial { get; init; } = "";

    public string? PemPath { get; init; }

    public string? Pem { get; init; }
}
