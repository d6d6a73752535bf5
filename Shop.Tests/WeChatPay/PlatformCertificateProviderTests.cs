using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay;

/// <summary>The certificate provider against a counted download (the network boundary), on a fake clock.</summary>
public sealed class PlatformCertificateProviderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private int _downloads;

    [Fact]
    public async Task Unknown_serial_refreshes_at_most_once_per_interval()
    {
        var store = new VerificationKeyStore(_clock);
        var resolver = new PlatformKeyResolver(store, Provider(store, Listing(WeChatPayVectors.ApiV3Key)));

        var random = await resolver.ResolveAsync("7D3A0E4B6C2F19A58E0D4C7B2A96F3E1D08B5C4A", default);
        var again = await resolver.ResolveAsync("0BADC0FFEE", default);
        Assert.Equal(1, _downloads);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var known = await resolver.ResolveAsync(WeChatPayVectors.PlatformSerial, default);
        var publicKeyId = await resolver.ResolveAsync("PUB_KEY_ID_0000", default);

        Assert.Null(random);
        Assert.Null(again);
        Assert.NotNull(known);
        Assert.Null(publicKeyId);
        Assert.Equal(1, _downloads);
    }

    [Fact]
    public async Task A_new_serial_is_found_by_the_refresh_it_triggers()
    {
        var store = new VerificationKeyStore(_clock);
        var resolver = new PlatformKeyResolver(store, Provider(store, Listing(WeChatPayVectors.ApiV3Key)));

        var key = await resolver.ResolveAsync(WeChatPayVectors.PlatformSerial.ToLowerInvariant(), default);

        Assert.Equal(VerificationKeyKind.PlatformCertificate, key!.Kind);
        Assert.Equal(1, _downloads);
    }

    [Fact]
    public async Task Certificates_that_do_not_decrypt_with_our_key_are_never_trusted()
    {
        var store = new VerificationKeyStore(_clock);
        var provider = Provider(store, Listing("pvq35YSbQEqkGDqKIwhnxP8UCxs9O017"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.RefreshAsync(default));

        Assert.Empty(store.All);
    }

    [Fact]
    public async Task Listed_serial_must_match_the_certificate()
    {
        var store = new VerificationKeyStore(_clock);
        var listing = Listing(WeChatPayVectors.ApiV3Key);
        var provider = Provider(store, new CertificateList([listing.Data[0] with { SerialNo = "0BADC0FFEE" }]));

        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.RefreshAsync(default));

        Assert.Empty(store.All);
    }

    [Fact]
    public async Task Expired_certificates_are_dropped()
    {
        var store = new VerificationKeyStore(_clock);
        await Provider(store, Listing(WeChatPayVectors.ApiV3Key)).RefreshAsync(default);

        _clock.Advance(TimeSpan.FromDays(3650 + 365));

        Assert.Null(store.Find(WeChatPayVectors.PlatformSerial));
        Assert.Equal(1, store.RemoveExpired());
    }

    [Fact]
    public async Task Refresh_service_downloads_at_start_then_on_schedule_and_retries_sooner_after_a_failure()
    {
        var store = new VerificationKeyStore(_clock);
        var failNext = false;
        var listing = Listing(WeChatPayVectors.ApiV3Key);
        var provider = new PlatformCertificateProvider(_ =>
            {
                Interlocked.Increment(ref _downloads);
                return Volatile.Read(ref failNext) ? Task.FromException<CertificateList>(new HttpRequestException("down")) : Task.FromResult(listing);
            },
            new ApiV3Cipher(WeChatPayVectors.ApiV3Key), store, _clock, TimeSpan.FromMinutes(1), NullLogger<PlatformCertificateProvider>.Instance);
        var options = new WeChatPayOptions { CertificateRefreshInterval = TimeSpan.FromHours(6) };
        using var service = new PlatformCertificateRefreshService(provider, options, _clock, NullLogger<PlatformCertificateRefreshService>.Instance);

        await service.StartAsync(default);
        await AdvanceUntilDownloads(1, TimeSpan.Zero);
        await Until(() => store.Find(WeChatPayVectors.PlatformSerial) is not null);
        Volatile.Write(ref failNext, true);
        var scheduled = await AdvanceUntilDownloads(2, TimeSpan.FromMinutes(30));
        Volatile.Write(ref failNext, false);
        var retried = await AdvanceUntilDownloads(3, TimeSpan.FromSeconds(20));
        await service.StopAsync(default);

        Assert.InRange(scheduled, TimeSpan.FromHours(6), TimeSpan.FromHours(7));
        Assert.InRange(retried, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached before the deadline");
            await Task.Delay(5);
        }
    }

    /// <summary>Moves the fake clock in steps until the download count is reached; returns how much time that took.</summary>
    private async Task<TimeSpan> AdvanceUntilDownloads(int count, TimeSpan step)
    {
        var advanced = TimeSpan.Zero;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Volatile.Read(ref _downloads) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} downloads, saw {_downloads} after {advanced}");
            for (var i = 0; i < 20 && Volatile.Read(ref _downloads) < count; i++)
            {
                await Task.Delay(5);
            }

            if (Volatile.Read(ref _downloads) < count)
            {
                _clock.Advance(step);
                advanced += step;
            }
        }

        return advanced;
    }

    private PlatformCertificateProvider Provider(VerificationKeyStore store, CertificateList listing) =>
        new(_ => { Interlocked.Increment(ref _downloads); return Task.FromResult(listing); },
            new ApiV3Cipher(WeChatPayVectors.ApiV3Key), store, _clock, TimeSpan.FromMinutes(1), NullLogger<PlatformCertificateProvider>.Instance);

    private static CertificateList Listing(string encryptWithKey)
    {
        var ciphertext = new ApiV3Cipher(encryptWithKey).Encrypt(WeChatPayVectors.Pem("keys/platform_cert.pem"), "c3Rm9xK2pL0v", "certificate");
        return new CertificateList([new PlatformCertificateEntry(WeChatPayVectors.PlatformSerial, null, null, new EncryptedResource
        {
            Algorithm = EncryptedResource.AeadAes256Gcm, Nonce = "c3Rm9xK2pL0v", AssociatedData = "certificate", Ciphertext = ciphertext,
        })]);
    }
}
