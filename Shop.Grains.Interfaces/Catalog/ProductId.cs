using Shop.Grains.Interfaces.Ids;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>Product (and SKU) ids: "p_" + 22 base64url characters (see <see cref="RandomId"/>).</summary>
public static class ProductId
{
    public const string Prefix = "p_";

    public static string New() => RandomId.New(Prefix);

    public static bool IsValid(string? id) => RandomId.IsValid(id, Prefix);
}
