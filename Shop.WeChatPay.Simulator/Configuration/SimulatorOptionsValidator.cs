using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Simulator.Configuration;

/// <summary>Checks every setting; each message names the configuration key and what is wrong with it.</summary>
internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    private const string S = SimulatorOptions.Section;

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var errors = Check(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Check(SimulatorOptions o)
    {
        var errors = new List<string>();
        if (!VerificationKeyStore.IsPublicKeyId(o.PublicKeyId ?? "") || !o.PublicKeyId![VerificationKeyStore.PublicKeyIdPrefix.Length..].All(char.IsAsciiDigit)
            || o.PublicKeyId.Length == VerificationKeyStore.PublicKeyIdPrefix.Length)
        {
            errors.Add($"{S}:PublicKeyId must be {VerificationKeyStore.PublicKeyIdPrefix} followed by digits (got '{o.PublicKeyId}').");
        }

        if (!string.IsNullOrWhiteSpace(o.PlatformPrivateKeyPath))
        {
            TryLoad(errors, $"{S}:PlatformPrivateKeyPath", o.PlatformPrivateKeyPath, () => PemKeys.ImportPrivateKey(File.ReadAllText(o.PlatformPrivateKeyPath)).Dispose());
        }

        if (!(o.RetryTimeScale > 0) || double.IsInfinity(o.RetryTimeScale))
        {
            errors.Add($"{S}:RetryTimeScale must be a positive number (1 = the real schedule, 0.001 = a thousand times faster), got {o.RetryTimeScale}.");
        }

        if (o.NotificationTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{S}:NotificationTimeout must be positive, e.g. 00:00:05.");
        }

        if (o.Merchants.Count == 0)
        {
            errors.Add($"{S}:Merchants is empty; configure at least one merchant (MchId, AppIds, ApiV3Key, Certificates).");
        }

        for (var i = 0; i < o.Merchants.Count; i++)
        {
            CheckMerchant(errors, $"{S}:Merchants:{i}", o.Merchants[i]);
        }

        foreach (var duplicate in o.Merchants.GroupBy(m => m.MchId).Where(g => g.Count() > 1))
        {
            errors.Add($"{S}:Merchants: mchid {duplicate.Key} is configured {duplicate.Count()} times.");
        }

        return errors;
    }

    private static void CheckMerchant(List<string> errors, string key, MerchantOptions m)
    {
        if (string.IsNullOrWhiteSpace(m.MchId) || !m.MchId.All(char.IsAsciiDigit))
        {
            errors.Add($"{key}:MchId is required and must be digits (got '{m.MchId}').");
        }

        if (m.AppIds.Count == 0 || m.AppIds.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{key}:AppIds must list at least one appid bound to the merchant, with no empty entries.");
        }

        var apiV3Bytes = Encoding.UTF8.GetByteCount(m.ApiV3Key ?? "");
        if (apiV3Bytes != ApiV3Cipher.KeyBytes)
        {
            errors.Add($"{key}:ApiV3Key must be the 32-character APIv3 key (got {apiV3Bytes} bytes).");
        }

        if (m.Certificates.Count == 0)
        {
            errors.Add($"{key}:Certificates must list the merchant API certificate(s): Serial plus PemPath or Pem.");
        }

        for (var i = 0; i < m.Certificates.Count; i++)
        {
            var c = m.Certificates[i];
            var at = $"{key}:Certificates:{i}";
            if (string.IsNullOrWhiteSpace(c.Serial) || !c.Serial.All(char.IsAsciiHexDigit))
            {
                errors.Add($"{at}:Serial is required and must be the hex serial of the merchant API certificate (got '{c.Serial}').");
                continue;
            }

            var hasPath = !string.IsNullOrWhiteSpace(c.PemPath);
            if (hasPath == !string.IsNullOrWhiteSpace(c.Pem))
            {
                errors.Add($"{at}: give exactly one of PemPath and Pem (a certificate, public key or private key PEM).");
            }
            else if (hasPath && !File.Exists(c.PemPath))
            {
                errors.Add($"{at}:PemPath: file '{c.PemPath}' does not exist.");
            }
            else
            {
                TryLoad(errors, at, c.PemPath ?? "inline Pem", () => MerchantPublicKeys.Load(c).Dispose());
            }
        }
    }

    private static void TryLoad(List<string> errors, string key, string source, Action load)
    {
        try
        {
            load();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{key}: '{source}' is not usable: {ex.Message}");
        }
    }
}
