namespace Shop.Grains.Interfaces.Fulfilment;

/// <summary>
/// WeChat's courier list (get_delivery_list) as the mini program last received it: one activation for the cluster
/// (key <see cref="Key"/>), so one fetch at a time; the last good list is kept in grain state, so a silo started while
/// WeChat is away still has it. Without a configured mini program it holds nothing and the embedded file is the list.
/// </summary>
[Alias("Shop.Fulfilment.Couriers.ICourierListGrain")]
public interface ICourierListGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>The last list fetched from WeChat; null before the first good fetch or when the mini program is off.</summary>
    [Alias("Get")]
    Task<FetchedCourierList?> GetAsync();

    /// <summary>Fetches the list now; a refusal keeps the previous one.</summary>
    [Alias("Refresh")]
    Task<CourierRefreshOutcome> RefreshAsync();

    /// <summary>Registers the periodic refresh and fetches unless the stored list is fresher than the period (silo start).</summary>
    [Alias("Start")]
    Task StartAsync();
}

[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.Couriers.CourierEntry")]
public sealed record CourierEntry(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string DeliveryName);

[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.Couriers.FetchedCourierList")]
public sealed record FetchedCourierList(
    [property: Id(0)] IReadOnlyList<CourierEntry> Couriers,
    [property: Id(1)] DateTimeOffset FetchedAt);

/// <summary>A fetch: <see cref="Fetched"/> with the count kept, or WeChat's errcode (-1 unreachable) and why; the previous list stays.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.Couriers.CourierRefreshOutcome")]
public sealed record CourierRefreshOutcome(
    [property: Id(0)] bool Fetched,
    [property: Id(1)] int Count,
    [property: Id(2)] int ErrCode = 0,
    [property: Id(3)] string? Error = null);
