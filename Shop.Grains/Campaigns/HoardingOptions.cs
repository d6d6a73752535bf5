namespace Shop.Grains.Campaigns;

/// <summary>
/// The <c>Hoarding</c> configuration section: how much one customer may hold in unpaid orders at a time, so one account
/// (or a bot) cannot lock a hot item's stock away with orders it never pays. 0 turns a limit off.
/// </summary>
public sealed class HoardingOptions
{
    /// <summary>Unpaid orders per customer (enforced by <see cref="UnpaidOrdersGrain"/>).</summary>
    public int MaxUnpaidOrders { get; set; } = 10;

    /// <summary>Units of one SKU per customer in unpaid orders (enforced by the SKU's inventory grain).</summary>
    public int MaxUnpaidUnitsPerSku { get; set; } = 100;
}
