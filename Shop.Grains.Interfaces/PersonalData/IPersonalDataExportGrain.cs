using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.PersonalData;

/// <summary>Where an export's order pages stopped: the last order written (orders go oldest first).</summary>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.ExportCursor")]
public sealed record ExportCursor([property: Id(0)] DateTimeOffset CreatedAt, [property: Id(1)] string OrderNo);

/// <summary>
/// One page of a customer's orders, shipping details decrypted; <see cref="Next"/> null on the last page.
/// <see cref="Rejected"/> names the orders that were never placed (stock refused them; their rows still hold the
/// address), <see cref="AutomaticRefunds"/> the refunds of payments that arrived after an order closed (kept by the
/// payment, not the order), by order number.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.ExportOrderPage")]
public sealed record ExportOrderPage(
    [property: Id(0)] IReadOnlyList<OrderView> Orders,
    [property: Id(1)] ExportCursor? Next,
    [property: Id(2)] IReadOnlyList<string>? Rejected = null,
    [property: Id(3)] IReadOnlyDictionary<string, IReadOnlyList<Payments.AutomaticRefund>>? AutomaticRefunds = null);

/// <summary>
/// Reads a customer's orders for a personal-data export a page at a time from the orders table (stateless: any silo
/// answers), so the API streams any number of orders in constant memory.
/// </summary>
[Alias("Shop.PersonalData.IPersonalDataExportGrain")]
public interface IPersonalDataExportGrain : IGrainWithIntegerKey
{
    public const int MaxPageSize = 200;

    /// <summary>Orders of <paramref name="userId"/> (rejected ones too; not those still reserving), oldest first, after <paramref name="after"/>.</summary>
    [Alias("ReadOrders")]
    Task<ExportOrderPage> ReadOrdersAsync(string userId, ExportCursor? after, int size);
}

/// <summary>Whether an export may start now; when not, how long until the oldest export of the window falls out of it.</summary>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.ExportPermit")]
public sealed record ExportPermit(
    [property: Id(0)] bool Granted,
    [property: Id(1)] int Remaining,
    [property: Id(2)] TimeSpan? RetryAfter);

/// <summary>
/// A customer's export budget (key = user id) across the cluster: at most N exports in any 24 hours, counted in the
/// grain's stored state, so neither another API host nor a restart resets it.
/// </summary>
[Alias("Shop.PersonalData.IPersonalDataExportQuotaGrain")]
public interface IPersonalDataExportQuotaGrain : IGrainWithStringKey
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>Takes one export from the budget of <paramref name="perDay"/>, or says when one is free again.</summary>
    [Alias("TryTake")]
    Task<ExportPermit> TryTakeAsync(int perDay);
}
