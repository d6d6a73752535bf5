using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Grains.Interfaces.AfterSales;

namespace Shop.Grains.AfterSales;

/// <summary>Where after-sales requests live: one row each, fenced by version, listable by status and by due time.</summary>
public interface IAfterSalesStore
{
    Task<(AfterSalesRequest? Request, long Version)> LoadAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="request"/> as version <paramref name="expectedVersion"/> + 1.</summary>
    /// <exception cref="AfterSalesVersionConflictException">Another writer stored that version first.</exception>
    Task SaveAsync(AfterSalesRequest request, long expectedVersion, CancellationToken cancellationToken = default);

    Task<AfterSalesListPage> ListAsync(AfterSalesListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> requests whose due time is at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}

public sealed class AfterSalesVersionConflictException(string requestId, long version)
    : Exception($"After-sales request '{requestId}' already has version {version + 1}: another activation wrote first.");

public static class AfterSalesJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
