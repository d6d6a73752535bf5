namespace Shop.Client.Catalog;

/// <summary>Create a category at the root (no <see cref="ParentId"/>) or under a parent.</summary>
public sealed record CreateCategoryRequest(string? Name, string? ParentId = null);

/// <summary>
/// Rename and/or move a category. A null <see cref="Name"/> keeps the name; <see cref="ParentId"/> moves it under that
/// parent; <see cref="MoveToRoot"/> moves it to the top level. Moving under itself or a descendant is refused (409
/// CATEGORY_CYCLE).
/// </summary>
public sealed record UpdateCategoryRequest(string? Name = null, string? ParentId = null, bool MoveToRoot = false);

public sealed record CategoryResponse(string Id, string Name, string? ParentId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A category with its subcategories, sorted by name.</summary>
public sealed record CategoryNode(string Id, string Name, string? ParentId, IReadOnlyList<CategoryNode> Children);

/// <summary>The whole category tree: the top-level categories, each with its subtree.</summary>
public sealed record CategoryTreeResponse(IReadOnlyList<CategoryNode> Categories, long Version);
