using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shop.Grains.Payments.WeChatPay;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Payments;

/// <summary>The payments cluster with its hosts' logs kept and the rejection log's clock in the test's hand.</summary>
public sealed class RejectionLogPaymentsCluster : PaymentsCluster
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureHostServices(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(Logs);
        services.AddSingleton(sp => new WeChatPayNotificationRejections(
            sp.GetRequiredService<IMeterFactory>(), Clock, sp.GetRequiredService<ILogger<WeChatPayNotificationRejections>>()));
    }
}

/// <summary>
/// Anyone can post to the notify route, as fast as they like (it is not rate limited, for WeChat Pay's sake). Forgeries
/// still get the answer WeChat Pay needs (500 FAIL for an unknown serial, so a real one after a key change is delivered
/// again), every one shows in the metric, and the log gets one Warning per failed check per window, not one per request.
/// </summary>
public sealed class NotificationRejectionLogTests(RejectionLogPaymentsCluster payments) : IClassFixture<RejectionLogPaymentsCluster>
{
    private const string UnknownSerial = "PUB_KEY_ID_0114999999999999999999999999";

    [Fact]
    public async Task A_flood_of_forged_notifications_is_answered_as_before_counted_in_full_and_logged_a_bounded_number_of_times()
    {
        var merchant = payments.Merchant;
        var body = CraftedNotification.Envelope(merchant.ApiV3Key,
            CraftedNotification.TransactionJson(merchant.MchId, merchant.AppId, "20260101000000000000000000", "4200000000000000000000000000", 100));
        var platformKey = await File.ReadAllTextAsync(payments.PlatformPrivateKeyPath);
        using var rogue = RSA.Create(2048);
        var rogueKey = rogue.ExportPkcs8PrivateKeyPem();
        var warningsBefore = Warnings().Count;

        await FloodAsync(30, () => CraftedNotification.Sign(body, platformKey, UnknownSerial), HttpStatusCode.InternalServerError);
        await FloodAsync(10, () => CraftedNotification.Sign(body, rogueKey, PaymentsCluster.PublicKeyId), HttpStatusCode.Unauthorized);

        var flood = Warnings().Skip(warningsBefore).ToList();
        Assert.Equal(2, flood.Count);
        Assert.Single(flood, w => w.Message.Contains("at Serial") && w.Message.Contains("(0 more"));
        Assert.Single(flood, w => w.Message.Contains("at Signature") && w.Message.Contains("(0 more"));
        await AssertCountedAsync("serial", 30);
        await AssertCountedAsync("signature", 10);

        // A window later the next forgery is logged again, with how many the previous window left out.
        payments.Clock.Advance(WeChatPayNotificationRejections.LogWindow);
        await FloodAsync(1, () => CraftedNotification.Sign(body, platformKey, UnknownSerial), HttpStatusCode.InternalServerError);
        var next = Assert.Single(Warnings().Skip(warningsBefore + 2));
        Assert.Contains("at Serial", next.Message);
        Assert.Contains("(29 more", next.Message);
        await AssertCountedAsync("serial", 31);
    }

    private async Task FloodAsync(int count, Func<CraftedNotification> forge, HttpStatusCode status)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => payments.Cluster.PostNotificationAsync(forge())));
        Assert.All(answers, a =>
        {
            Assert.Equal(status, a.Status);
            Assert.Equal("FAIL", JsonDocument.Parse(a.Body).RootElement.GetProperty("code").GetString());
        });
    }

    private List<CapturedLogs.Entry> Warnings() => payments.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();

    /// <summary>What an operator's Prometheus reads from the silo (the exporter refreshes its scrape every few hundred ms).</summary>
    private async Task AssertCountedAsync(string reason, double expected)
    {
        using var client = new HttpClient { BaseAddress = payments.Cluster.Silos[0].HttpAddress };
        var counted = await Poll.UntilAsync(async () => Rejected(await client.GetStringAsync("/metrics"), reason), v => v == expected,
            what: $"{expected} {reason} rejections in /metrics");
        Assert.Equal(expected, counted);
    }

    private static double Rejected(string scrape, string reason) =>
        Regex.Matches(scrape, @"^shop_wechatpay_notifications_rejected_total\{([^}]*)\} (\S+)", RegexOptions.Multiline)
            .Where(m => m.Groups[1].Value.Contains($"reason=\"{reason}\"", StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
}
