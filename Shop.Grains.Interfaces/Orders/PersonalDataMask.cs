using System.Globalization;
using System.Text;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// What personal data may look like in logs and admin lists: enough to recognise, not enough to contact.
/// </summary>
public static class PersonalDataMask
{
    public const string Hidden = "****";

    /// <summary><c>13812341234</c> → <c>138****1234</c>; too short to keep both ends → fully hidden.</summary>
    public static string Phone(string? phone)
    {
        var digits = (phone ?? "").Trim();
        return digits.Length >= 8 ? string.Concat(digits.AsSpan(0, 3), Hidden, digits.AsSpan(digits.Length - 4)) : Hidden;
    }

    /// <summary><c>张三</c> → <c>张*</c>, <c>John</c> → <c>J***</c>: the first character, a star for each other one.</summary>
    public static string Name(string? name)
    {
        var trimmed = (name ?? "").Trim();
        var characters = new StringInfo(trimmed).LengthInTextElements;
        if (characters == 0)
        {
            return "";
        }

        return characters == 1 ? "*" : new StringBuilder(StringInfo.GetNextTextElement(trimmed)).Append('*', characters - 1).ToString();
    }

    /// <summary>The region stays (it is not identifying and matters for shipping); the street and house are hidden.</summary>
    public static string Address(string? province, string? city, string? district, string? detail) =>
        string.Concat(province?.Trim(), city?.Trim(), district?.Trim(), string.IsNullOrWhiteSpace(detail) ? "" : Hidden);
}
