namespace Shop.Api.Hosting;

/// <summary>
/// Keeps trying to reach a gateway at startup for a bounded time, so the API can start before or beside the silo,
/// and gives up with a clear error instead of hanging forever.
/// </summary>
internal sealed class ClusterConnectionRetryFilter(IConfiguration configuration, ILogger<ClusterConnectionRetryFilter> logger)
    : IClientConnectionRetryFilter
{
    private readonly DateTimeOffset _giveUpAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(configuration.GetValue("Orleans:ConnectTimeoutSeconds", 60));
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow >= _giveUpAt)
        {
            logger.LogError(exception, "Could not reach an Orleans gateway; giving up");
            return false;
        }

        _attempt++;
        logger.LogWarning("Orleans gateway not reachable yet (attempt {Attempt}): {Message}", _attempt, exception.Message);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * _attempt)), cancellationToken);
        return true;
    }
}
