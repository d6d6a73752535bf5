using System.Security.Cryptography;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>Category ids: "c_" + 22 base64url characters (16 random bytes), checked as cheaply as <see cref="ProductId"/>.</summary>
public static class CategoryId
{
    public const string Prefix = "c_";
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

        return id[^1] is 'A' or 'Q' or 'g' or 'w';
    }
}
