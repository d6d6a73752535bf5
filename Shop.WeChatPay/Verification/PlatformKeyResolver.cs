namespace Shop.WeChatPay.Verification;

/// <summary>
/// The resolver for API responses and notifications: the key store first; for an unknown certificate serial, one
/// rate-limited certificate refresh (a new platform certificate may have been rotated in). Public-key ids are never
/// refreshed: they only change by hand in 商户平台.
/// </summary>
public sealed class PlatformKeyResolver(VerificationKeyStore store, PlatformCertificateProvider? certificates) : IVerificationKeyResolver
{
    public async ValueTask<VerificationKey?> ResolveAsync(string serial, CancellationToken cancellationToken)
    {
        if (store.Find(serial) is { } key)
        {
            return key;
        }

        if (certificates is null || VerificationKeyStore.IsPublicKeyId(serial))
        {
            return null;
        }

        return await certificates.RefreshForUnknownSerialAsync(serial, cancellationToken).ConfigureAwait(false)
            ? store.Find(serial)
            : null;
    }
}
