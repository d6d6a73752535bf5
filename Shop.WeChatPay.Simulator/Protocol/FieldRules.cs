using System.Globalization;
using System.Text.RegularExpressions;

namespace Shop.WeChatPay.Simulator.Protocol;

/// <summary>Format rules of request fields; each returns the issue, or null when the value is fine.</summary>
internal static partial class FieldRules
{
    /// <summary>6–32 of digits, letters, _ - *. Some doc pages also allow '|', others do not, so the simulator refuses it.</summary>
    public static string? OutTradeNo(string value) =>
        OutTradeNoPattern().IsMatch(value) ? null : "must be 6-32 characters of [0-9A-Za-z_-*]";

    public static string? OutRefundNo(string value) =>
        OutRefundNoPattern().IsMatch(value) ? null : "must be 1-64 characters of [0-9A-Za-z_-|*@]";

    /// <summary>https (plain http only to a loopback host, for local runs), absolute, no query string or fragment.</summary>
    public static string? NotifyUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "must be an absolute https URL";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            return "must use https (http is accepted only for loopback hosts)";
        }

        return uri.Query.Length > 0 || uri.Fragment.Length > 0 ? "must not carry a query string" : null;
    }

    public static string? Currency(string value) => value == "CNY" ? null : "must be CNY";

    /// <summary>RFC 3339 with an explicit offset, e.g. 2025-06-01T08:30:00+08:00.</summary>
    public static string? Rfc3339(string value) => TryParseTime(value, out _) ? null : "must be RFC 3339 with an offset, e.g. 2025-06-01T08:30:00+08:00";

    public static bool TryParseTime(string value, out DateTimeOffset time)
    {
        time = default;
        return Rfc3339Pattern().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    [GeneratedRegex(@"^[0-9A-Za-z_\-*]{6,32}$")]
    private static partial Regex OutTradeNoPattern();

    [GeneratedRegex(@"^[0-9A-Za-z_\-|*@]{1,64}$")]
    private static partial Regex OutRefundNoPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")]
    private static partial Regex Rfc3339Pattern();
}
