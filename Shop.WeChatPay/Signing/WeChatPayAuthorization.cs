namespace Shop.WeChatPay.Signing;

/// <summary>
/// The <c>Authorization</c> header value. Field order is not significant to WeChat Pay; this emits the order of the
/// official example (mchid, nonce_str, signature, timestamp, serial_no).
/// </summary>
public sealed record WeChatPayAuthorization(string MchId, string NonceStr, string Signature, string Timestamp, string SerialNo)
{
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    public string Parameter =>
        $"mchid=\"{MchId}\",nonce_str=\"{NonceStr}\",signature=\"{Signature}\",timestamp=\"{Timestamp}\",serial_no=\"{SerialNo}\"";

    public override string ToString() => $"{Scheme} {Parameter}";

    /// <summary>Parses a header value in any field order; returns null when it is not a complete WECHATPAY2 header.</summary>
    public static WeChatPayAuthorization? TryParse(string? value)
    {
        if (value is null || !value.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value[(Scheme.Length + 1)..].Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || part.Length < eq + 3 || part[eq + 1] != '"' || part[^1] != '"')
            {
                return null;
            }

            fields[part[..eq]] = part[(eq + 2)..^1];
        }

        return fields.TryGetValue("mchid", out var mchId)
            && fields.TryGetValue("nonce_str", out var nonce)
            && fields.TryGetValue("signature", out var signature)
            && fields.TryGetValue("timestamp", out var timestamp)
            && fields.TryGetValue("serial_no", out var serial)
                ? new WeChatPayAuthorization(mchId, nonce, signature, timestamp, serial)
                : null;
    }
}
