using System.Security.Cryptography;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>
/// SKU ids. A product without options has one SKU whose id is the product id (every product made before variants
/// existed is such a product, so its stock, reservations, orders and cart lines keep their ids). A variant of a product
/// with options is "{productId}.{8 base64url characters}": the product is read off the id without a lookup, so an
/// order still costs one product-grain call per line, and the random suffix (48 bits on top of the product id's 128)
/// keeps it unguessable.
/// </summary>
public static class SkuId
{
    public const char Separator = '.';
    public const int SuffixLength = 8;

    public static string New(string productId)
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        return productId + Separator + Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    public static bool IsValid(string? id)
    {
        if (id is null)
        {
            return false;
        }

        var dot = id.IndexOf(Separator, StringComparison.Ordinal);
        if (dot < 0)
        {
            return ProductId.IsValid(id);
        }

        if (!ProductId.IsValid(id[..dot]) || id.Length - dot - 1 != SuffixLength)
        {
            return false;
        }

        foreach (var c in id.AsSpan(dot + 1))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The product a (valid) SKU id belongs to.</summary>
    public static string ProductOf(string skuId)
    {
        var dot = skuId.IndexOf(Separator, StringComparison.Ordinal);
        return dot < 0 ? skuId : skuId[..dot];
    }
}
