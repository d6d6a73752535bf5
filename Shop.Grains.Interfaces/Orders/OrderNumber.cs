using System.Globalization;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// Order numbers: the UTC date (yyyyMMdd) followed by 20 digits that hide a unique 64-bit value behind a keyed
/// permutation (see Shop.Grains.Orders.OrderNumberGenerator). 28 digits, within WeChat Pay's 32-character out_trade_no.
/// </summary>
public static class OrderNumber
{
    public const int DateLength = 8;
    public const int SuffixLength = 20;
    public const int Length = DateLength + SuffixLength;

    public static string Format(DateTimeOffset utcNow, ulong permuted) =>
        utcNow.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + permuted.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>A cheap shape check (digits, a real date, a 64-bit suffix) before any grain is touched.</summary>
    public static bool IsValid(string? orderNo)
    {
        if (orderNo is null || orderNo.Length != Length)
        {
            return false;
        }

        foreach (var c in orderNo)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return DateTime.TryParseExact(orderNo.AsSpan(0, DateLength), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            && ulong.TryParse(orderNo.AsSpan(DateLength), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>The permuted 64-bit part of a valid order number.</summary>
    public static ulong Suffix(string orderNo) =>
        ulong.Parse(orderNo.AsSpan(DateLength), NumberStyles.None, CultureInfo.InvariantCulture);
}
