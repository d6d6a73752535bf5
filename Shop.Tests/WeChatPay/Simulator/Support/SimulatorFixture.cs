using Microsoft.Extensions.DependencyInjection;
using Shop.WeChatPay.Simulator.Keys;

namespace Shop.Tests.WeChatPay.Simulator.Support;

/// <summary>
/// One simulator with one fresh merchant, the shop's WeChatPay client configured against it, a notify_url receiver
/// and the control client. Public-key mode: the simulator writes its public key PEM and the shop loads that file.
/// </summary>
public class SimulatorFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "shop-wechatpay-sim-" + Guid.NewGuid().ToString("N"));

    internal MerchantIdentity Merchant { get; private set; } = null!;

    internal NotificationReceiver Receiver { get; private set; } = null!;

    internal SimulatorHost Simulator { get; private set; } = null!;

    internal MerchantSide Shop { get; private set; } = null!;

    internal SimulatorControls Controls { get; private set; } = null!;

    internal PlatformKeys PlatformKeys => Simulator.Services.GetRequiredService<PlatformKeys>();

    internal string PublicKeyPath => Path.Combine(_directory, "wechatpay", "pub_key.pem");

    /// <summary>Certificate mode: the merchant verifies with downloaded platform certificates only.</summary>
    protected virtual bool CertificateMode => false;

    protected virtual double RetryTimeScale => 0.001;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Merchant = MerchantIdentity.Create(_directory);
        Receiver = await NotificationReceiver.StartAsync();
        Simulator = await SimulatorHost.StartAsync(SimulatorHost.Settings(Merchant, PublicKeyPath, CertificateMode ? "Certificate" : "PublicKey", RetryTimeScale));
        Shop = CreateShop();
        Receiver.Parser = Shop.Parser;
        Controls = new SimulatorControls(Simulator.BaseUrl);
    }

    /// <summary>Another shop-side client of the same merchant, e.g. one that signs with a wrong private key.</summary>
    internal MerchantSide CreateShop(string? privateKeyPath = null) => MerchantSide.Create(
        Merchant, Simulator.BaseUrl, Receiver.NotifyUrl.ToString(), PlatformKeys.PublicKeyId, CertificateMode ? null : PublicKeyPath, privateKeyPath);

    public async Task DisposeAsync()
    {
        Controls.Dispose();
        await Shop.DisposeAsync();
        await Simulator.DisposeAsync();
        await Receiver.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class CertificateModeSimulatorFixture : SimulatorFixture
{
    protected override bool CertificateMode => true;
}

/// <summary>The whole 24 h retry schedule in under a second.</summary>
public sealed class FastRetrySimulatorFixture : SimulatorFixture
{
    protected override double RetryTimeScale => 0.00001;
}
