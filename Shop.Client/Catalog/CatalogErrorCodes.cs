namespace Shop.Client.Catalog;

/// <summary>
/// The catalog's own problem codes (next to the shared ones in <see cref="ShopErrorCodes"/>: VALIDATION_FAILED,
/// NOT_FOUND, ...). Stable: clients branch on them.
/// </summary>
public static class CatalogErrorCodes
{
    /// <summary>409: the If-Match / body version is not the product's current version.</summary>
    public const string VersionConflict = "VERSION_CONFLICT";

    /// <summary>409: a product with the generated id already exists (practically never: ids are 128 random bits).</summary>
    public const string ProductExists = "PRODUCT_EXISTS";

    /// <summary>409: the category still has subcategories or products.</summary>
    public const string CategoryInUse = "CATEGORY_IN_USE";

    /// <summary>409: the move would put a category under itself or one of its descendants.</summary>
    public const string CategoryCycle = "CATEGORY_CYCLE";

    /// <summary>409: a sibling category already has this name (ignoring case).</summary>
    public const string CategoryNameTaken = "CATEGORY_NAME_TAKEN";
}
