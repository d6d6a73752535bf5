using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// Downloads platform certificates at start-up and then every <see cref="WeChatPayOptions.CertificateRefreshInterval"/>
/// (the docs ask for less than 12 h). After a failure it tries again sooner, because without certificates no response
/// or notification can be verified. Does nothing in public-key-only mode.
/// </summary>
public sealed class PlatformCertificateRefreshService(
    PlatformCertificateProvider provider,
    WeChatPayOptions options,
    TimeProvider time,
    ILogger<PlatformCertificateRefreshService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.PlatformCertificatesEnabled)
        {
            return;
        }

        var interval = options.CertificateRefreshInterval;
        var delay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                await provider.RefreshAsync(stoppingToken).ConfigureAwait(false);
                delay = interval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "WeChat Pay platform certificate download failed; retrying in {Delay}", RetryAfterFailure);
                delay = RetryAfterFailure < interval ? RetryAfterFailure : interval;
            }
        }
    }
}
