namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// The cluster's one due-order sweep (key <see cref="Key"/>): a durable reminder keeps it alive on some silo, and it
/// wakes every order whose stored due time has passed. Orders therefore need no reminder row of their own.
/// </summary>
[Alias("Shop.Orders.IOrderDueSweepGrain")]
public interface IOrderDueSweepGrain : IGrainWithStringKey
{
    public const string Key = "orders";

    /// <summary>Registers the reminder and starts sweeping (each silo calls it when it starts; repeating it is harmless).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Sweeps now; returns how many due orders were woken.</summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
