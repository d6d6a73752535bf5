using System.Text;

namespace Shop.WeChatPay.Api;

/// <summary>
/// WeChat Pay's <c>string[1,N]</c> limits (description 127, refund reason 80, ...) count UTF-8 bytes, not characters:
/// a Chinese character takes three, so 43 of them already fill a description.
/// </summary>
public static class WeChatPayText
{
    public const int MaxDescriptionBytes = 127;
    public const int MaxRefundReasonBytes = 80;

    /// <summary>
    /// The longest prefix of <paramref name="value"/> that fits in <paramref name="maxBytes"/> UTF-8 bytes, cut between
    /// whole characters (never inside a multi-byte character or a surrogate pair), so the text stays valid.
    /// </summary>
    public static string Truncate(string value, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }

        int bytes = 0, chars = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            chars += rune.Utf16SequenceLength;
        }

        return value[..chars];
    }
}
