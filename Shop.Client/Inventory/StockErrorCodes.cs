namespace Shop.Client.Inventory;

/// <summary>Problem <c>code</c>s specific to stock routes (the general ones are in <see cref="ShopErrorCodes"/>).</summary>
public static class StockErrorCodes
{
    /// <summary>A correction would take more units than are available; the problem's <c>available</c> says how many are.</summary>
    public const string InsufficientStock = "INSUFFICIENT_STOCK";
}
