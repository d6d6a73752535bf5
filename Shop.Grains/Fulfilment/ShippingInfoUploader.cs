using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.WeChatPay;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Grains.Fulfilment;

public enum UploadResult
{
    Uploaded,
    Transient,
    Permanent,
}

/// <summary>One attempt's result; <see cref="ErrorCode"/> is WeChat's errcode, or HTTP / TOKEN_* when no errcode came back.</summary>
public sealed record UploadAttempt(UploadResult Result, string? ErrorCode = null, string? ErrorMessage = null);

/// <summary>
/// Sends one order's shipping information to WeChat with the cluster's access token; a token WeChat refuses is
/// refreshed (by the token grain, once for everyone) and the upload sent again, once. Registered only when both the
/// mini program (AppId, AppSecret) and the WeChat Pay merchant (MchId) are configured.
/// </summary>
public sealed class ShippingInfoUploader(
    IWeChatMiniProgramApi api,
    IOptions<WeChatMiniProgramOptions> miniProgram,
    IOptions<WeChatPayOptions> merchant,
    IGrainFactory grains,
    ILogger<ShippingInfoUploader> logger)
{
    public string MchId => merchant.Value.MchId;

    public async Task<UploadAttempt> UploadAsync(UploadShippingInfoRequest request)
    {
        var tokens = grains.GetGrain<IWeChatAccessTokenGrain>(miniProgram.Value.AppId);
        var token = await tokens.GetAsync();
        for (var refreshed = false; ; refreshed = true)
        {
            if (token.Token is not { } accessToken)
            {
                // -1: stable_token unreachable; anything else (40013 bad appid, 40125 bad secret) is our configuration.
                return new UploadAttempt(token.ErrCode == -1 ? UploadResult.Transient : UploadResult.Permanent,
                    token.ErrCode.ToString(System.Globalization.CultureInfo.InvariantCulture), "stable_token: " + token.ErrMsg);
            }

            WeChatResult answer;
            try
            {
                answer = await api.UploadShippingInfoAsync(accessToken, request);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Refit.ApiException or System.Text.Json.JsonException)
            {
                logger.LogWarning(ex, "Order {OrderNo}: upload_shipping_info not reachable", request.OrderKey.OutTradeNo);
                return new UploadAttempt(UploadResult.Transient, "HTTP", ex is Refit.ApiException api ? $"HTTP {(int)api.StatusCode}" : ex.GetType().Name);
            }

            if (answer.ErrCode is 0 or MiniProgramErrors.ShippingUnchanged)
            {
                return new UploadAttempt(UploadResult.Uploaded);
            }

            var code = answer.ErrCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (MiniProgramErrors.Classify(answer.ErrCode))
            {
                case MiniProgramErrorKind.Token when !refreshed:
                    logger.LogInformation("Order {OrderNo}: WeChat refused the access token ({ErrCode}); refreshing it", request.OrderKey.OutTradeNo, answer.ErrCode);
                    token = await tokens.RefreshAsync(accessToken);
                    continue;
                case MiniProgramErrorKind.Permanent:
                    logger.LogError("Order {OrderNo}: WeChat refused the shipping information: {ErrCode} {ErrMsg}", request.OrderKey.OutTradeNo, answer.ErrCode, answer.ErrMsg);
                    return new UploadAttempt(UploadResult.Permanent, code, answer.ErrMsg);
                default:
                    logger.LogWarning("Order {OrderNo}: upload_shipping_info failed for now: {ErrCode} {ErrMsg}", request.OrderKey.OutTradeNo, answer.ErrCode, answer.ErrMsg);
                    return new UploadAttempt(UploadResult.Transient, code, answer.ErrMsg);
            }
        }
    }
}
