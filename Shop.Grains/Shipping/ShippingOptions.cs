namespace Shop.Grains.Shipping;

/// <summary>Shipping settings (<c>Shipping:*</c>).</summary>
public sealed class ShippingOptions
{
    public const string SectionName = "Shipping";

    /// <summary>How many addresses one customer's address book holds at most.</summary>
    public int MaxAddresses { get; set; } = 20;

    /// <summary>
    /// How long a silo uses its copy of the freight templates before it reads them again. Edits reach every silo at
    /// once through the templates grain's observers; this bounds how stale a silo can be if one such message is lost.
    /// </summary>
    public TimeSpan TemplateCacheTtl { get; set; } = TimeSpan.FromMinutes(1);
}
