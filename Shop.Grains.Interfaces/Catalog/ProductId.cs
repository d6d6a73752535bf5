using System.Buffers.Text;
using System.Security.Cryptography;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>
/// Product ids are user-visible and must not be guessable: "p_" followed by 16 random bytes in unpadded base64url
/// (22 characters). Only the canonical encoding is valid, so one product has exactly one spelling.
/// </summary>
public static class ProductId
{
    public const string Prefix = "p_";
    public const int Length = 24;
    private const int RandomBytes = 16;

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != Length || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = value.AsSpan(Prefix.Length);
        Span<byte> bytes = stackalloc byte[RandomBytes + 2];
        if (!Base64Url.TryDecodeFromChars(body, bytes, out var written) || written != RandomBytes)
        {
            return false;
        }

        // The last character carries 2 unused bits; rejecting non-zero ones keeps the spelling canonical.
        Span<char> canonical = stackalloc char[Length - Prefix.Length];
        return Base64Url.TryEncodeToChars(bytes[..RandomBytes], canonical, out var chars)
            && chars == canonical.Length
            && body.SequenceEqual(canonical);
    }
}
