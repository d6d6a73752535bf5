using System.Security.Cryptography;

namespace Shop.WeChatPay.Simulator.Protocol;

/// <summary>Times as WeChat Pay writes them (whole seconds, +08:00) and identifiers shaped like real ones.</summary>
internal static class WeChatTime
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public static DateTimeOffset Of(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds()).ToOffset(ChinaOffset);

    /// <summary>wx + creation time + 20 random hex characters: not guessable.</summary>
    public static string NewPrepayId(DateTimeOffset now) =>
        "wx" + Of(now).ToString("yyyyMMddHHmmss") + RandomNumberGenerator.GetHexString(20, lowercase: true);

    /// <summary>28 digits, like 4200001234202506011234567890.</summary>
    public static string NewTransactionId(DateTimeOffset now) => "42000" + Of(now).ToString("yyyyMMdd") + Digits(15);

    /// <summary>29 digits, like 50300001234202506011234567890.</summary>
    public static string NewRefundId(DateTimeOffset now) => "503" + Of(now).ToString("yyyyMMdd") + Digits(18);

    public static string NewRequestId() => RandomNumberGenerator.GetHexString(32);

    /// <summary>The 12-character text nonce of AEAD_AES_256_GCM resources.</summary>
    public static string NewResourceNonce() =>
        RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 12);

    private static string Digits(int count) => RandomNumberGenerator.GetString("0123456789", count);
}
