using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Shop.Hosting;
using Shop.WeChatPay.Verification;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>
/// What a refused notification leaves behind. The notify route is anonymous and not rate limited (WeChat Pay must
/// always get through), so anyone can send forgeries as fast as they like: every one is counted in the
/// <see cref="InstrumentName"/> metric by failed check, but at most one Warning per check per <see cref="LogWindow"/>
/// is written, carrying how many were not logged since the previous one.
/// </summary>
public sealed class WeChatPayNotificationRejections
{
    public const string InstrumentName = "shop.wechatpay.notifications.rejected";
    public const string ReasonTag = "reason";

    public static readonly TimeSpan LogWindow = TimeSpan.FromMinutes(1);

    private readonly Counter<long> _rejected;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Dictionary<VerificationCheck, Window> _windows = [];

    public WeChatPayNotificationRejections(IMeterFactory meters, TimeProvider clock, ILogger<WeChatPayNotificationRejections> logger)
    {
        _rejected = meters.Create(ShopObservability.ShopSource).CreateCounter<long>(
            InstrumentName, "{notification}", "WeChat Pay notifications refused at verification, by the check that failed.");
        _clock = clock;
        _logger = logger;
    }

    public void Record(VerificationCheck check, string? message)
    {
        _rejected.Add(1, new KeyValuePair<string, object?>(ReasonTag, Reason(check)));
        long notLogged;
        lock (_windows)
        {
            var now = _clock.GetUtcNow();
            if (_windows.TryGetValue(check, out var window) && now - window.Start < LogWindow)
            {
                _windows[check] = window with { NotLogged = window.NotLogged + 1 };
                return;
            }

            notLogged = window?.NotLogged ?? 0;
            _windows[check] = new Window(now, 0);
        }

        _logger.LogWarning(
            "WeChat Pay notification rejected at {Check}: {Message} ({NotLogged} more rejected at this check since the previous such line; at most one line per {WindowSeconds} s, all counted in {Metric})",
            check, message, notLogged, LogWindow.TotalSeconds, InstrumentName);
    }

    /// <summary>A fixed, small set of tag values (one per check), so the metric's cardinality stays bounded.</summary>
    public static string Reason(VerificationCheck check) => check.ToString().ToLowerInvariant();

    private sealed record Window(DateTimeOffset Start, long NotLogged);
}
