using System.Security.Cryptography;

namespace Shop.Grains.Interfaces.Ids;

/// <summary>
/// User-visible ids: a two-character prefix + 22 base64url characters from 16 random bytes. Not guessable, and cheap
/// to validate before any grain is touched, so a flood of malformed ids never activates anything.
/// </summary>
public static class RandomId
{
    public const int Length = 24;

    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool IsValid(string? id, string prefix)
    {
        if (id is null || id.Length != Length || !id.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in id.AsSpan(prefix.Length))
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
