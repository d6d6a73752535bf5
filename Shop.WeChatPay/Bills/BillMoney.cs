using System.Globalization;

namespace Shop.WeChatPay.Bills;

/// <summary>
/// Bills state money in yuan as decimal text ("100.00", "-0.05940"). Converted exactly, digit by digit, never through
/// a floating-point number: a value with more precision than the unit allows is refused, not rounded.
/// </summary>
public static class BillMoney
{
    /// <summary>Yuan to fen: at most 2 significant decimals ("0.01000" is 1 fen; "0.015" is refused).</summary>
    public static long ToFen(string yuan, string column) => Scale(yuan, 2, column);

    /// <summary>Yuan to thousandths of a fen (fees are stated to 0.00001 yuan): "0.05940" is 5940.</summary>
    public static long ToMilliFen(string yuan, string column) => Scale(yuan, 5, column);

    /// <summary>Empty counts as zero: refund columns of payment rows are blank in some bill generations.</summary>
    private static long Scale(string text, int decimals, string column)
    {
        var s = text.Trim();
        if (s.Length == 0)
        {
            return 0;
        }

        var negative = s[0] == '-';
        if (negative || s[0] == '+')
        {
            s = s[1..];
        }

        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? "" : s[(dot + 1)..];
        if (whole.Length == 0 || whole.Length > 12 || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit)
            || (dot >= 0 && fraction.Length == 0))
        {
            throw new BillFormatException($"{column} \"{text}\" is not an amount in yuan");
        }

        if (fraction.Length > decimals)
        {
            if (fraction[decimals..].Any(d => d != '0'))
            {
                throw new BillFormatException($"{column} \"{text}\" has more than {decimals} decimals");
            }

            fraction = fraction[..decimals];
        }

        var value = long.Parse(whole + fraction.PadRight(decimals, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }
}
