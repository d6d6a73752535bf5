using Shop.Grains.Interfaces.Ids;

namespace Shop.Grains.Interfaces.Catalog;

/// <summary>Category ids: "c_" + 22 base64url characters (see <see cref="RandomId"/>).</summary>
public static class CategoryId
{
    public const string Prefix = "c_";

    public static string New() => RandomId.New(Prefix);

    public static bool IsValid(string? id) => RandomId.IsValid(id, Prefix);
}
