using System.Security.Cryptography;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Simulator.Keys;

/// <summary>A configured merchant: appids, APIv3 key (as a cipher) and its API certificate keys by serial.</summary>
internal sealed class Merchant(string mchId, IReadOnlySet<string> appIds, ApiV3Cipher cipher, MerchantKeyMode keyMode, IReadOnlyDictionary<string, RSA> keys)
{
    public string MchId { get; } = mchId;

    public IReadOnlySet<string> AppIds { get; } = appIds;

    public ApiV3Cipher Cipher { get; } = cipher;

    public MerchantKeyMode KeyMode { get; } = keyMode;

    /// <summary>The key for the serial_no of an Authorization header; serials compare by hex value (case, leading zeros).</summary>
    public RSA? FindKey(string serial) =>
        keys.FirstOrDefault(k => PlatformCertificateDecoder.SameSerial(k.Key, serial)).Value;
}

/// <summary>The merchants from configuration, by mchid.</summary>
internal sealed class MerchantRegistry(IReadOnlyDictionary<string, Merchant> merchants)
{
    public static MerchantRegistry Create(SimulatorOptions options) => new(options.Merchants.ToDictionary(
        m => m.MchId,
        m => new Merchant(
            m.MchId,
            m.AppIds.ToHashSet(StringComparer.Ordinal),
            new ApiV3Cipher(m.ApiV3Key),
            m.KeyMode,
            m.Certificates.ToDictionary(c => c.Serial, MerchantPublicKeys.Load, StringComparer.OrdinalIgnoreCase)),
        StringComparer.Ordinal));

    public Merchant? Find(string mchId) => merchants.GetValueOrDefault(mchId);

    public IEnumerable<Merchant> All => merchants.Values;

    public bool IsKnownAppId(string appId) => merchants.Values.Any(m => m.AppIds.Contains(appId));
}
