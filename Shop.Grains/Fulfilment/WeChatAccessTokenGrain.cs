using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Grains.Fulfilment;

/// <summary>
/// The mini program's access token. One activation per appid in the cluster and no reentrancy: a refresh is one call
/// at a time, and callers queued behind it get its result. Memory only: after a restart the normal mode of
/// <c>stable_token</c> hands back the token still valid at WeChat, so nothing is lost by not storing it.
/// </summary>
public sealed class WeChatAccessTokenGrain(
    IWeChatMiniProgramApi api,
    IOptions<WeChatMiniProgramOptions> miniProgram,
    IOptions<FulfilmentOptions> options,
    TimeProvider clock,
    ILogger<WeChatAccessTokenGrain> logger) : Grain, IWeChatAccessTokenGrain
{
    private string? _token;
    private DateTimeOffset _refreshAt;

    private string AppId => this.GetPrimaryKeyString();

    public async Task<AccessTokenAnswer> GetAsync()
    {
        if (_token is not null && clock.GetUtcNow() < _refreshAt)
        {
            return new AccessTokenAnswer(_token);
        }

        return await FetchAsync(force: false);
    }

    public async Task<AccessTokenAnswer> RefreshAsync(string rejected)
    {
        if (_token is not null && _token != rejected && clock.GetUtcNow() < _refreshAt)
        {
            // Another caller already replaced it while this one waited.
            return new AccessTokenAnswer(_token);
        }

        var answer = await FetchAsync(force: false);
        if (answer.Token is not null && answer.Token == rejected)
        {
            // WeChat still hands out the token it refused (invalidated elsewhere): force a new one (WeChat allows 20 a day).
            logger.LogWarning("Mini program {AppId}: the current access token was refused; forcing a new one", AppId);
            answer = await FetchAsync(force: true);
        }

        return answer;
    }

    private async Task<AccessTokenAnswer> FetchAsync(bool force)
    {
        StableTokenResponse answer;
        try
        {
            answer = await api.StableTokenAsync(new StableTokenRequest("client_credential", AppId, miniProgram.Value.AppSecret, force));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Refit.ApiException or System.Text.Json.JsonException)
        {
            logger.LogWarning(ex, "Mini program {AppId}: stable_token not reachable", AppId);
            return new AccessTokenAnswer(null, -1, "stable_token not reachable: " + ex.GetType().Name);
        }

        if (answer.ErrCode != 0 || string.IsNullOrEmpty(answer.AccessToken))
        {
            logger.LogError("Mini program {AppId}: stable_token refused: {ErrCode} {ErrMsg}", AppId, answer.ErrCode, answer.ErrMsg);
            return new AccessTokenAnswer(null, answer.ErrCode == 0 ? -1 : answer.ErrCode, answer.ErrMsg ?? "no access_token in the answer");
        }

        var lifetime = TimeSpan.FromSeconds(answer.ExpiresIn);
        var early = options.Value.AccessTokenRefreshBefore;
        // A short-lived token is used for half its life rather than refreshed on every call.
        var usable = lifetime > early * 2 ? lifetime - early : lifetime / 2;
        _token = answer.AccessToken;
        _refreshAt = clock.GetUtcNow() + usable;
        logger.LogInformation("Mini program {AppId}: access token obtained (expires in {ExpiresIn} s, force {Force})", AppId, answer.ExpiresIn, force);
        return new AccessTokenAnswer(_token);
    }
}
