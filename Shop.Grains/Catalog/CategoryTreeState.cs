using System.Collections.Immutable;
using Shop.Grains.Interfaces.Catalog;

namespace Shop.Grains.Catalog;

/// <summary>Stored state of the <see cref="CategoryTreeGrain"/>: every category by id, and a version bumped per change.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Catalog.CategoryTreeState")]
public sealed record CategoryTreeState
{
    [Id(0)]
    public ImmutableDictionary<string, CategoryInfo> Categories { get; init; } = ImmutableDictionary<string, CategoryInfo>.Empty;

    [Id(1)]
    public long Version { get; init; }
}
