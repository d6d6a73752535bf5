using System.Security.Cryptography;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>
/// Product (and SKU) ids: "p_" + 22 base64url characters from 16 random bytes. Not guessable, and cheap to validate
/// before any grain is touched, so a flood of malformed ids never activates anything.
/// </summary>
public static class ProductId
{
    public const string Prefix = "p_";
    public const int Length = 24;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != Length || !id.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id.AsSpan(Prefix.Length))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        // 16 bytes encode to 22 characters whose last one carries only 2 data bits: A, Q, g or w.
        return id[^1] is 'A' or 'Q' or 'g' or 'w';
    }
}
