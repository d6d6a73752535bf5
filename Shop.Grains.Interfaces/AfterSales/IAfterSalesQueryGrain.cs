namespace Shop.Grains.Interfaces.AfterSales;

[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesListQuery")]
public sealed record AfterSalesListQuery(
    [property: Id(0)] AfterSalesStatus? Status,
    [property: Id(1)] string? OrderNo,
    [property: Id(2)] string? UserId,
    [property: Id(3)] int Page,
    [property: Id(4)] int Size);

/// <param name="Counts">How many requests are in each status (all of them, whatever the filter): the merchant's to-do list.</param>
[GenerateSerializer, Immutable, Alias("Shop.AfterSales.AfterSalesListPage")]
public sealed record AfterSalesListPage(
    [property: Id(0)] IReadOnlyList<AfterSalesRequest> Items,
    [property: Id(1)] long Total,
    [property: Id(2)] IReadOnlyDictionary<AfterSalesStatus, long> Counts);

/// <summary>Reads request lists from <c>after_sales_requests</c> (stateless: any silo answers).</summary>
[Alias("Shop.AfterSales.IAfterSalesQueryGrain")]
public interface IAfterSalesQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Oldest first (a to-do list is worked from the oldest).</summary>
    [Alias("List")]
    Task<AfterSalesListPage> ListAsync(AfterSalesListQuery query);
}

/// <summary>The cluster's one after-sales sweep (key <see cref="Key"/>): wakes every request whose due time passed.</summary>
[Alias("Shop.AfterSales.IAfterSalesDueSweepGrain")]
public interface IAfterSalesDueSweepGrain : IGrainWithStringKey
{
    public const string Key = "after-sales";

    [Alias("Start")]
    Task StartAsync();

    [Alias("Sweep")]
    Task<int> SweepAsync();
}
