using System.Net.Http.Headers;
using Shop.WeChatPay.Signing;

namespace Shop.WeChatPay.Verification;

/// <summary>The Wechatpay-* headers of a response or notification, read case-insensitively.</summary>
public sealed record SignatureHeaders(string? Timestamp, string? Nonce, string? Signature, string? Serial, string? SignatureType)
{
    public static SignatureHeaders From(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new SignatureHeaders(
            header(WeChatPayHeaders.Timestamp),
            header(WeChatPayHeaders.Nonce),
            header(WeChatPayHeaders.Signature),
            header(WeChatPayHeaders.Serial),
            header(WeChatPayHeaders.SignatureType));
    }

    public static SignatureHeaders From(HttpHeaders headers) =>
        From(name => headers.TryGetValues(name, out var values) ? string.Join(",", values) : null);

    public static SignatureHeaders From(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        return From(name => map.GetValueOrDefault(name));
    }
}
