namespace Shop.Grains.Catalog;

/// <summary>Catalog tuning (<c>Catalog:*</c>); the defaults suit production, tests shorten them.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>
    /// How long an activation for a never-created product id stays to answer repeated lookups from memory before it
    /// deactivates itself: long enough to absorb a burst of requests for the same unknown id, short enough that a
    /// flood of random ids cannot pile up activations.
    /// </summary>
    public TimeSpan UnknownProductRetention { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First retry delay after a failed read-model write; doubles up to <see cref="ProjectionRetryMaxDelay"/>.</summary>
    public TimeSpan ProjectionRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ProjectionRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a category reservation made by a product before its write blocks deleting that category.</summary>
    public TimeSpan CategoryReservationLifetime { get; set; } = TimeSpan.FromMinutes(2);
}
