using Microsoft.Extensions.Logging;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// Keeps the platform certificates in the key store: downloads /v3/certificates, decrypts each with the APIv3 key,
/// drops expired ones. Refreshes on a schedule (see <see cref="PlatformCertificateRefreshService"/>) and once when an
/// unknown serial appears, at most once per <c>minUnknownSerialInterval</c>: anyone can send random serials.
/// </summary>
public sealed class PlatformCertificateProvider(
    Func<CancellationToken, Task<CertificateList>> download,
    ApiV3Cipher cipher,
    VerificationKeyStore store,
    TimeProvider time,
    TimeSpan minUnknownSerialInterval,
    ILogger<PlatformCertificateProvider> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _lastUnknownSerialRefresh;

    /// <summary>Downloads and stores the current certificates; returns how many were stored.</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Refreshes once for a serial we do not hold; false when rate-limited, failed, or still unknown.</summary>
    public async Task<bool> RefreshForUnknownSerialAsync(string serial, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (store.Find(serial) is not null)
            {
                return true;
            }

            var now = time.GetUtcNow();
            if (_lastUnknownSerialRefresh is { } last && now - last < minUnknownSerialInterval)
            {
                return false;
            }

            _lastUnknownSerialRefresh = now;
            await RefreshCoreAsync(cancellationToken).ConfigureAwait(false);
            return store.Find(serial) is not null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Platform certificate refresh for unknown serial {Serial} failed", serial);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> RefreshCoreAsync(CancellationToken cancellationToken)
    {
        var list = await download(cancellationToken).ConfigureAwait(false);
        var stored = 0;
        foreach (var entry in list.Data)
        {
            if (PlatformCertificateDecoder.TryDecode(entry, cipher, out var certificate, out var error) && certificate is not null)
            {
                using (certificate)
                {
                    store.AddCertificate(entry.SerialNo, certificate);
                }

                stored++;
            }
            else
            {
                logger.LogWarning("Skipping platform certificate: {Error}", error);
            }
        }

        store.RemoveExpired();
        if (list.Data.Count > 0 && stored == 0)
        {
            throw new InvalidOperationException("No downloaded platform certificate decrypted; check the APIv3 key.");
        }

        logger.LogInformation("Stored {Count} WeChat Pay platform certificate(s)", stored);
        return stored;
    }
}
