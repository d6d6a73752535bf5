namespace Shop.WeChatPay.MiniProgram;

/// <summary>
/// The mini program's server API (section "WeChatMiniProgram"): the AppSecret that <c>stable_token</c> turns into an
/// access token, and where api.weixin.qq.com is (the simulator in local runs and tests). Off without an AppSecret.
/// </summary>
public sealed class WeChatMiniProgramOptions
{
    public const string Section = "WeChatMiniProgram";

    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";

    public string AppId { get; set; } = "";

    public string AppSecret { get; set; } = "";

    /// <summary>Per call; the upload is retried later, so a slow WeChat never holds an order for long.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the cluster fetches WeChat's courier list (get_delivery_list); also fetched at silo start when the
    /// stored list is older than this. At least a minute (Orleans' shortest reminder).
    /// </summary>
    public TimeSpan DeliveryListRefresh { get; set; } = TimeSpan.FromHours(24);

    public bool Enabled => !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppSecret);
}
