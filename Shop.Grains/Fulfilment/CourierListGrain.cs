using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Grains.Fulfilment;

[GenerateSerializer, Alias("Shop.Fulfilment.Couriers.CourierListState")]
public sealed class CourierListState
{
    [Id(0)]
    public FetchedCourierList? List { get; set; }
}

/// <summary>
/// WeChat's courier list (see <see cref="ICourierListGrain"/>), fetched with the cluster's access token at silo start
/// and then by a durable reminder every <see cref="WeChatMiniProgramOptions.DeliveryListRefresh"/>. Non-reentrant: a
/// fetch is one call at a time. A token WeChat refuses is refreshed once (by the token grain), as the upload does.
/// </summary>
public sealed class CourierListGrain(
    [PersistentState("courierList")] IPersistentState<CourierListState> state,
    IOptions<WeChatMiniProgramOptions> miniProgram,
    TimeProvider clock,
    ILogger<CourierListGrain> logger) : Grain, ICourierListGrain, IRemindable
{
    private const string Reminder = "delivery-list";

    /// <summary>Orleans' shortest reminder period.</summary>
    private static readonly TimeSpan MinPeriod = TimeSpan.FromMinutes(1);

    private TimeSpan Period => miniProgram.Value.DeliveryListRefresh < MinPeriod ? MinPeriod : miniProgram.Value.DeliveryListRefresh;

    /// <summary>The api is registered only when the mini program is configured; its absence is "off".</summary>
    private IWeChatMiniProgramApi? Api => miniProgram.Value.Enabled ? ServiceProvider.GetService<IWeChatMiniProgramApi>() : null;

    // A list stored while the mini program was configured is not used once it is off: the embedded file is the list then.
    public Task<FetchedCourierList?> GetAsync() => Task.FromResult(Api is null ? null : state.State.List);

    public async Task StartAsync()
    {
        if (Api is null)
        {
            if (await this.GetReminder(Reminder) is { } stale)
            {
                await this.UnregisterReminder(stale);
            }

            return;
        }

        await this.RegisterOrUpdateReminder(Reminder, Period, Period);
        // Several silos starting together fetch once: the first start's list is fresh for the others.
        if (state.State.List is not { } list || clock.GetUtcNow() - list.FetchedAt >= Period)
        {
            await RefreshAsync();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status) => await RefreshAsync();

    public async Task<CourierRefreshOutcome> RefreshAsync()
    {
        if (Api is not { } api)
        {
            return new CourierRefreshOutcome(false, 0, -1, "The mini program is not configured (WeChatMiniProgram:AppId/AppSecret).");
        }

        var tokens = GrainFactory.GetGrain<IWeChatAccessTokenGrain>(miniProgram.Value.AppId);
        var token = await tokens.GetAsync();
        for (var refreshed = false; ; refreshed = true)
        {
            if (token.Token is not { } accessToken)
            {
                return Kept(token.ErrCode, "stable_token: " + token.ErrMsg);
            }

            DeliveryListResponse answer;
            try
            {
                answer = await api.GetDeliveryListAsync(accessToken, new EmptyRequest());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Refit.ApiException or System.Text.Json.JsonException)
            {
                return Kept(-1, "get_delivery_list not reachable: " + (ex is Refit.ApiException http ? $"HTTP {(int)http.StatusCode}" : ex.GetType().Name));
            }

            if (answer.ErrCode != 0 && MiniProgramErrors.Classify(answer.ErrCode) == MiniProgramErrorKind.Token && !refreshed)
            {
                logger.LogInformation("get_delivery_list: WeChat refused the access token ({ErrCode}); refreshing it", answer.ErrCode);
                token = await tokens.RefreshAsync(accessToken);
                continue;
            }

            if (answer.ErrCode != 0)
            {
                return Kept(answer.ErrCode, answer.ErrMsg);
            }

            var couriers = answer.DeliveryList
                .Where(c => !string.IsNullOrWhiteSpace(c?.DeliveryId))
                .DistinctBy(c => c.DeliveryId, StringComparer.Ordinal)
                .Select(c => new CourierEntry(c.DeliveryId, string.IsNullOrWhiteSpace(c.DeliveryName) ? c.DeliveryId : c.DeliveryName))
                .ToList();
            if (couriers.Count == 0)
            {
                // An empty list would refuse every shipment: never replace a list with nothing.
                return Kept(-1, "get_delivery_list answered no couriers");
            }

            state.State.List = new FetchedCourierList(couriers, clock.GetUtcNow());
            await state.WriteStateAsync();
            logger.LogInformation("WeChat's courier list fetched: {Count} couriers", couriers.Count);
            return new CourierRefreshOutcome(true, couriers.Count);
        }
    }

    private CourierRefreshOutcome Kept(int errCode, string? error)
    {
        logger.LogWarning("WeChat's courier list not refreshed: {ErrCode} {ErrMsg}; shipments keep using {Kept}", errCode, error,
            state.State.List is { } list ? $"the list fetched at {list.FetchedAt:O} ({list.Couriers.Count} couriers)" : "the embedded list");
        return new CourierRefreshOutcome(false, state.State.List?.Couriers.Count ?? 0, errCode, error);
    }
}
