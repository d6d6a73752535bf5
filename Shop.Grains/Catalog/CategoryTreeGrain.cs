using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>
/// The whole category tree in one activation (see <see cref="ICategoryTreeGrain"/> for why). Always active: every
/// product write and every category listing asks it, and its reservations live in memory.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class CategoryTreeGrain(
    [PersistentState("categories")] IPersistentState<CategoryTreeState> state,
    ICatalogReadModel readModel,
    TimeProvider time,
    IOptions<CatalogOptions> options) : Grain, ICategoryTreeGrain
{
    public const int NameMaxLength = 50;

    private readonly CategoryReservations _reservations = new(time, options.Value.CategoryReservationLifetime);
    private ILookup<string, string>? _children;

    private ImmutableDictionary<string, CategoryInfo> Categories => state.State.Categories;

    private ILookup<string, string> Children => _children ??= Categories.Values.ToLookup(c => c.ParentId ?? "", c => c.Id);

    public async Task<CategoryOutcome> CreateAsync(string? name, string? parentId)
    {
        if (NormalizeName(name) is not { } normalized)
        {
            return InvalidName;
        }

        parentId = string.IsNullOrEmpty(parentId) ? null : parentId;
        if (CheckParent(parentId) is { } refused)
        {
            return refused;
        }

        if (NameTaken(parentId, normalized, exceptId: null))
        {
            return new CategoryOutcome(CategoryOutcomeStatus.NameTaken, Detail: $"A sibling category is already named '{normalized}'.");
        }

        var now = time.GetUtcNow();
        var category = new CategoryInfo(CategoryId.New(), normalized, parentId, now, now);
        await CommitAsync(Categories.Add(category.Id, category));
        return CategoryOutcome.Ok(category);
    }

    public async Task<CategoryOutcome> UpdateAsync(string id, string? name, bool move, string? parentId)
    {
        if (!Categories.TryGetValue(id, out var current))
        {
            return new CategoryOutcome(CategoryOutcomeStatus.NotFound);
        }

        var next = current;
        if (name is not null)
        {
            if (NormalizeName(name) is not { } normalized)
            {
                return InvalidName;
            }

            next = next with { Name = normalized };
        }

        if (move)
        {
            parentId = string.IsNullOrEmpty(parentId) ? null : parentId;
            if (CheckParent(parentId) is { } refused)
            {
                return refused;
            }

            if (parentId is not null && IsSelfOrDescendant(parentId, id))
            {
                return new CategoryOutcome(CategoryOutcomeStatus.Cycle, current, Detail: "A category cannot move under itself or one of its descendants.");
            }

            next = next with { ParentId = parentId };
        }

        if (next == current)
        {
            return CategoryOutcome.Ok(current);
        }

        if (NameTaken(next.ParentId, next.Name, exceptId: id))
        {
            return new CategoryOutcome(CategoryOutcomeStatus.NameTaken, Detail: $"A sibling category is already named '{next.Name}'.");
        }

        next = next with { UpdatedAt = time.GetUtcNow() };
        await CommitAsync(Categories.SetItem(id, next));
        return CategoryOutcome.Ok(next);
    }

    public async Task<CategoryOutcome> DeleteAsync(string id)
    {
        if (!Categories.TryGetValue(id, out var category))
        {
            return new CategoryOutcome(CategoryOutcomeStatus.NotFound);
        }

        if (Children[id].Any())
        {
            return new CategoryOutcome(CategoryOutcomeStatus.InUse, category, Detail: "The category has subcategories.");
        }

        // Reservations first, then the count: a product whose write lands in between is then seen by the count.
        if (await _reservations.AnyPendingAsync(id, readModel))
        {
            return new CategoryOutcome(CategoryOutcomeStatus.InUse, category, Detail: "A product is being saved into the category.");
        }

        var products = await readModel.CountProductsInCategoryAsync(id);
        if (products > 0)
        {
            return new CategoryOutcome(CategoryOutcomeStatus.InUse, category, Detail: $"The category holds {products} product(s).");
        }

        await CommitAsync(Categories.Remove(id));
        return CategoryOutcome.Ok(category);
    }

    public Task<CategoryTree> GetTreeAsync() => Task.FromResult(new CategoryTree(
        [.. Categories.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id, StringComparer.Ordinal)],
        state.State.Version));

    public Task<string[]?> GetSubtreeAsync(string id)
    {
        if (!Categories.ContainsKey(id))
        {
            return Task.FromResult<string[]?>(null);
        }

        var found = new List<string> { id };
        for (var i = 0; i < found.Count; i++)
        {
            found.AddRange(Children[found[i]]);
        }

        return Task.FromResult<string[]?>([.. found]);
    }

    public Task<bool> ReserveAsync(string categoryId, string productId, long version)
    {
        if (!Categories.ContainsKey(categoryId))
        {
            return Task.FromResult(false);
        }

        _reservations.Add(categoryId, productId, version);
        return Task.FromResult(true);
    }

    private static CategoryOutcome InvalidName =>
        CategoryOutcome.Invalid("name", $"The name must be 1 to {NameMaxLength} characters long (after trimming).");

    private static string? NormalizeName(string? name) => name?.Trim() is { Length: > 0 and <= NameMaxLength } trimmed ? trimmed : null;

    private CategoryOutcome? CheckParent(string? parentId) => parentId switch
    {
        null => null,
        _ when !CategoryId.IsValid(parentId) => CategoryOutcome.Invalid("parentId", "The parent category id is malformed."),
        _ when !Categories.ContainsKey(parentId) => CategoryOutcome.Invalid("parentId", "The parent category does not exist."),
        _ => null,
    };

    private bool NameTaken(string? parentId, string name, string? exceptId) =>
        Children[parentId ?? ""].Any(c => c != exceptId && string.Equals(Categories[c].Name, name, StringComparison.OrdinalIgnoreCase));

    private bool IsSelfOrDescendant(string candidate, string ancestor)
    {
        // Bounded walk up from the candidate: the stored tree has no cycles, so this ends at a root.
        for (string? at = candidate; at is not null; at = Categories.TryGetValue(at, out var c) ? c.ParentId : null)
        {
            if (at == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private async Task CommitAsync(ImmutableDictionary<string, CategoryInfo> categories)
    {
        var previous = state.State;
        state.State = new CategoryTreeState { Categories = categories, Version = previous.Version + 1 };
        _children = null;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            _children = null;
            this.DeactivateOnIdle();
            throw;
        }
    }
}
