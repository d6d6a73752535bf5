using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay;

/// <summary>Checks every setting and names the configuration key and the fix in each message.</summary>
public sealed class WeChatPayOptionsValidator : IValidateOptions<WeChatPayOptions>
{
    public const string Section = "WeChatPay";

    public ValidateOptionsResult Validate(string? name, WeChatPayOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Check(WeChatPayOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.MchId) || !o.MchId.All(char.IsAsciiDigit))
        {
            errors.Add($"{Section}:MchId is required and must be the digits of the merchant id (商户号).");
        }

        if (string.IsNullOrWhiteSpace(o.AppId))
        {
            errors.Add($"{Section}:AppId is required (the Official Account / Mini Program appid).");
        }

        if (string.IsNullOrWhiteSpace(o.MerchantCertificateSerial) || !o.MerchantCertificateSerial.All(char.IsAsciiHexDigit))
        {
            errors.Add($"{Section}:MerchantCertificateSerial is required and must be the hex serial shown in 商户平台.");
        }

        CheckKeyFile(errors, "MerchantPrivateKeyPath", o.MerchantPrivateKeyPath, pem => PemKeys.ImportPrivateKey(pem).Dispose());

        var apiV3Bytes = Encoding.UTF8.GetByteCount(o.ApiV3Key ?? "");
        if (apiV3Bytes != ApiV3Cipher.KeyBytes)
        {
            errors.Add($"{Section}:ApiV3Key must be the 32-character APIv3 key (got {apiV3Bytes} bytes).");
        }

        if (o.PublicKeyEnabled || !string.IsNullOrWhiteSpace(o.PublicKeyPath))
        {
            if (string.IsNullOrWhiteSpace(o.PublicKeyId) || !VerificationKeyStore.IsPublicKeyId(o.PublicKeyId))
            {
                errors.Add($"{Section}:PublicKeyId must start with {VerificationKeyStore.PublicKeyIdPrefix} when PublicKeyPath is set.");
            }

            CheckKeyFile(errors, "PublicKeyPath", o.PublicKeyPath, pem => PemKeys.ImportPublicKey(pem).Dispose());
        }

        if (!o.PublicKeyEnabled && !o.PlatformCertificatesEnabled)
        {
            errors.Add($"{Section}: no way to verify WeChat Pay signatures; set PublicKeyId/PublicKeyPath or UsePlatformCertificates=true.");
        }

        CheckUrl(errors, "NotifyUrl", o.NotifyUrl, requireNoQuery: true);
        CheckUrl(errors, "BaseUrl", o.BaseUrl, requireNoQuery: true);
        if (o.CertificateRefreshInterval <= TimeSpan.Zero || o.UnknownSerialRefreshInterval < TimeSpan.Zero)
        {
            errors.Add($"{Section}:CertificateRefreshInterval must be positive and UnknownSerialRefreshInterval not negative.");
        }

        CheckResilience(errors, o);
        if (string.IsNullOrWhiteSpace(o.UserAgent))
        {
            errors.Add($"{Section}:UserAgent must not be empty (WeChat Pay answers 400 without one).");
        }

        return errors;
    }

    /// <summary>The bounds the resilience pipeline itself enforces, named by our keys (it would fail at the first call).</summary>
    private static void CheckResilience(List<string> errors, WeChatPayOptions o)
    {
        if (o.ShopperTimeBudget < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"{Section}:ShopperTimeBudget must be at least 00:00:00.5 (got {o.ShopperTimeBudget}).");
        }

        if (o.AttemptTimeout < TimeSpan.FromMilliseconds(100) || o.TotalTimeout <= o.AttemptTimeout)
        {
            errors.Add($"{Section}:AttemptTimeout must be at least 00:00:00.1 and below TotalTimeout (got {o.AttemptTimeout} and {o.TotalTimeout}).");
        }

        var breaker = o.CircuitBreaker;
        if (breaker.FailureRatio is <= 0 or > 1 || breaker.MinimumThroughput < 2)
        {
            errors.Add($"{Section}:CircuitBreaker:FailureRatio must be in (0, 1] and MinimumThroughput at least 2 (got {breaker.FailureRatio}, {breaker.MinimumThroughput}).");
        }

        if (breaker.SamplingDuration < 2 * o.AttemptTimeout || breaker.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"{Section}:CircuitBreaker:SamplingDuration must be at least twice AttemptTimeout and BreakDuration at least 00:00:00.5 (got {breaker.SamplingDuration}, {breaker.BreakDuration}).");
        }
    }

    private static void CheckKeyFile(List<string> errors, string key, string? path, Action<string> import)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{Section}:{key} is required.");
            return;
        }

        if (!File.Exists(path))
        {
            errors.Add($"{Section}:{key}: file '{path}' does not exist.");
            return;
        }

        try
        {
            import(File.ReadAllText(path));
        }
        catch (CryptographicException ex)
        {
            errors.Add($"{Section}:{key}: '{path}' is not a usable key: {ex.Message}");
        }
    }

    /// <summary>https only; plain http is allowed for loopback hosts so a local WeChat Pay simulator works.</summary>
    private static void CheckUrl(List<string> errors, string key, string? value, bool requireNoQuery)
    {
        // On Unix "/path" parses as an absolute file: URI, hence the scheme test.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{Section}:{key} must be an absolute https URL (got '{value}').");
            return;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            errors.Add($"{Section}:{key} must use https (http is accepted only for loopback hosts), got '{value}'.");
        }

        if (requireNoQuery && (uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            errors.Add($"{Section}:{key} must not have a query string or fragment.");
        }
    }
}
