using Orleans.Concurrency;

namespace Shop.Grains.Interfaces.Catalog;

[GenerateSerializer, Immutable, Alias("Shop.Catalog.CategoryInfo")]
public sealed record CategoryInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? ParentId,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt);

/// <summary>The whole tree, flat (each category names its parent), with the tree's version.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.CategoryTree")]
public sealed record CategoryTree(
    [property: Id(0)] IReadOnlyList<CategoryInfo> Categories,
    [property: Id(1)] long Version);

[GenerateSerializer, Alias("Shop.Catalog.CategoryOutcomeStatus")]
public enum CategoryOutcomeStatus
{
    Ok = 0,
    NotFound = 1,
    Invalid = 2,
    Cycle = 3,
    InUse = 4,
    NameTaken = 5,
}

[GenerateSerializer, Immutable, Alias("Shop.Catalog.CategoryOutcome")]
public sealed record CategoryOutcome(
    [property: Id(0)] CategoryOutcomeStatus Status,
    [property: Id(1)] CategoryInfo? Category = null,
    [property: Id(2)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: Id(3)] string? Detail = null)
{
    public static CategoryOutcome Ok(CategoryInfo category) => new(CategoryOutcomeStatus.Ok, category);

    public static CategoryOutcome Invalid(string field, string message) =>
        new(CategoryOutcomeStatus.Invalid, Errors: new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// The category tree of the shop, one grain (key <see cref="DefaultKey"/>) holding every category: a merchant has at
/// most a few thousand, so the whole tree fits in one small state, and moves, cycle checks and "list with
/// descendants" are in-memory walks instead of recursive SQL.
/// </summary>
[Alias("Shop.Catalog.ICategoryTreeGrain")]
public interface ICategoryTreeGrain : IGrainWithStringKey
{
    public const string DefaultKey = "default";

    [Alias("Create")]
    Task<CategoryOutcome> CreateAsync(string? name, string? parentId);

    /// <summary>Renames and/or moves: null <paramref name="name"/> keeps the name; the parent changes only when <paramref name="move"/>.</summary>
    [Alias("Update")]
    Task<CategoryOutcome> UpdateAsync(string id, string? name, bool move, string? parentId);

    /// <summary>Deletes a category that has no children and no (non-deleted) products.</summary>
    [Alias("Delete")]
    Task<CategoryOutcome> DeleteAsync(string id);

    [ReadOnly, Alias("GetTree")]
    Task<CategoryTree> GetTreeAsync();

    /// <summary>The category and all its descendants, or null when it does not exist.</summary>
    [ReadOnly, Alias("GetSubtree")]
    Task<string[]?> GetSubtreeAsync(string id);

    /// <summary>
    /// Called by a product before it writes itself into <paramref name="categoryId"/> at <paramref name="version"/>: false
    /// when the category does not exist. Until the read model shows that version, the category counts as in use, so a
    /// delete racing with the product's write cannot leave the product in a deleted category.
    /// </summary>
    [Alias("Reserve")]
    Task<bool> ReserveAsync(string categoryId, string productId, long version);
}
