using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Notifications;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay.Simulator;

/// <summary>A merchant in platform-certificate mode: responses and notifications name the certificate serial.</summary>
public sealed class SimulatorCertificateModeTests(CertificateModeSimulatorFixture sim) : IClassFixture<CertificateModeSimulatorFixture>
{
    [Fact]
    public async Task The_shop_downloads_the_certificate_and_verifies_responses_and_notifications_with_it()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("CERT");

        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo));
        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        var received = Assert.Single(await sim.Receiver.WaitForAsync(outTradeNo, 1));

        var store = sim.Shop.Services.GetRequiredService<VerificationKeyStore>();
        Assert.Equal(sim.PlatformKeys.CertificateSerial, store.PreferredSerial());
        Assert.Equal(VerificationKeyKind.PlatformCertificate, Assert.Single(store.All).Kind);
        Assert.Equal(sim.PlatformKeys.CertificateSerial, received.Serial);
        Assert.True(received.Result.IsValid, received.Result.Verification.Message);
    }
}

/// <summary>Delivery gives up after the documented 15 retries (schedule compressed 100 000 times).</summary>
public sealed class SimulatorRetryScheduleTests(FastRetrySimulatorFixture sim) : IClassFixture<FastRetrySimulatorFixture>
{
    [Fact]
    public async Task A_receiver_that_never_answers_2xx_gets_16_attempts_then_the_notification_is_abandoned()
    {
        var outTradeNo = SimulatorControls.NewOrderNo("GIVEUP");
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo));
        sim.Receiver.AnswerNext(outTradeNo, Enumerable.Repeat(503, 20).ToArray());

        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        var delivery = Assert.Single((await sim.Controls.WaitUntilSettledAsync(outTradeNo)).Notifications);

        Assert.Equal(DeliveryState.Abandoned, delivery.State);
        Assert.Equal(16, delivery.Attempts.Count);
        Assert.All(delivery.Attempts, a => Assert.Equal(503, a.Status));
        // The last interval is 6 h, i.e. 216 ms at this scale; the first ones are fractions of a millisecond.
        Assert.True(delivery.Attempts[15].At - delivery.Attempts[14].At >= TimeSpan.FromMilliseconds(200));
    }
}

/// <summary>Start-up: validation reports every wrong setting with its key; a configured platform key is kept.</summary>
public sealed class SimulatorOptionsTests
{
    [Fact]
    public async Task A_platform_key_loaded_from_a_file_keeps_its_public_key_and_certificate_serial_across_restarts()
    {
        var directory = Path.Combine(Path.GetTempPath(), "shop-wechatpay-sim-key-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var merchant = MerchantIdentity.Create(directory);
            var settings = SimulatorHost.Settings(merchant, Path.Combine(directory, "pub.pem"));
            using (var key = System.Security.Cryptography.RSA.Create(2048))
            {
                settings["Simulator:PlatformPrivateKeyPath"] = Path.Combine(directory, "platform_key.pem");
                await File.WriteAllTextAsync(settings["Simulator:PlatformPrivateKeyPath"]!, key.ExportPkcs8PrivateKeyPem());
            }

            var first = await PlatformKeysOfAsync(settings);
            var second = await PlatformKeysOfAsync(settings);
            var generated = await PlatformKeysOfAsync(SimulatorHost.Settings(merchant, Path.Combine(directory, "pub2.pem")));

            Assert.Equal((first.PublicKeyPem, first.CertificateSerial), (second.PublicKeyPem, second.CertificateSerial));
            Assert.NotEqual(first.PublicKeyPem, generated.PublicKeyPem);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Wrong_settings_fail_at_start_with_one_message_per_setting()
    {
        var directory = Path.Combine(Path.GetTempPath(), "shop-wechatpay-sim-options-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var merchant = MerchantIdentity.Create(directory);
            var settings = SimulatorHost.Settings(merchant, Path.Combine(directory, "pub.pem"));
            settings["Simulator:Merchants:0:ApiV3Key"] = "short";
            settings["Simulator:Merchants:0:Certificates:0:Serial"] = "ABCDEF";
            settings["Simulator:Merchants:0:Certificates:1:Serial"] = "0A";
            settings["Simulator:Merchants:0:Certificates:1:PemPath"] = "/nope/cert.pem";
            settings["Simulator:PublicKeyId"] = "KEY_1";

            var ex = Assert.Throws<OptionsValidationException>(() => SimulatorHost.Build(settings));

            Assert.Contains("Simulator:Merchants:0:ApiV3Key must be the 32-character APIv3 key (got 5 bytes).", ex.Failures);
            Assert.Contains(ex.Failures, f => f.StartsWith("Simulator:Merchants:0:Certificates:0: ", StringComparison.Ordinal) && f.Contains("serial", StringComparison.Ordinal));
            Assert.Contains("Simulator:Merchants:0:Certificates:1:PemPath: file '/nope/cert.pem' does not exist.", ex.Failures);
            Assert.Contains(ex.Failures, f => f.StartsWith("Simulator:PublicKeyId must be PUB_KEY_ID_", StringComparison.Ordinal));
            Assert.Equal(4, ex.Failures.Count());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(string PublicKeyPem, string CertificateSerial)> PlatformKeysOfAsync(Dictionary<string, string?> settings)
    {
        await using var app = SimulatorHost.Build(settings);
        var keys = app.Services.GetRequiredService<Shop.WeChatPay.Simulator.Keys.PlatformKeys>();
        return (keys.PublicKeyPem, keys.CertificateSerial);
    }
}

