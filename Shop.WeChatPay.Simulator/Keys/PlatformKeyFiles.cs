using Microsoft.Extensions.Options;
using Shop.WeChatPay.Simulator.Configuration;

namespace Shop.WeChatPay.Simulator.Keys;

/// <summary>
/// Writes the platform public key (and certificate) PEM where the shop's configuration expects them, before the
/// simulator accepts requests, and logs what a merchant has to configure.
/// </summary>
internal sealed class PlatformKeyFiles(PlatformKeys keys, MerchantRegistry merchants, IOptions<SimulatorOptions> options, ILogger<PlatformKeyFiles> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        await WriteAsync(o.PlatformPublicKeyOutputPath, keys.PublicKeyPem, cancellationToken);
        await WriteAsync(o.PlatformCertificateOutputPath, keys.CertificatePem, cancellationToken);
        logger.LogInformation(
            "WeChat Pay simulator: public key id {PublicKeyId} (PEM at {PublicKeyPath}), platform certificate serial {Serial}, merchants {Merchants}",
            keys.PublicKeyId, o.PlatformPublicKeyOutputPath ?? "(not written)", keys.CertificateSerial,
            string.Join(", ", merchants.All.Select(m => $"{m.MchId} [{string.Join("/", m.AppIds)}] {m.KeyMode}")));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task WriteAsync(string? path, string pem, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Write then rename, so a reader never sees half a PEM.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, pem, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
