using Refit;

namespace Shop.Client.PersonalData;

/// <summary>
/// An erasure request (<c>POST/GET /api/me/data/erasure</c>, <c>/api/admin/customers/{userId}/erasure</c>).
/// <see cref="Status"/>: <c>Pending</c> (some orders wait for a window: <see cref="Waiting"/>; it completes by itself) or
/// <c>Completed</c>. <see cref="CompletesBy"/> is when the last known wait ends (null when complete or when a wait has
/// no date yet, e.g. an order not shipped); <see cref="NextAttemptAt"/> is when Shop looks again.
/// </summary>
public sealed record ErasureResponse(
    string RequestId,
    string Status,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CompletesBy,
    DateTimeOffset? NextAttemptAt,
    int ErasedOrders,
    IReadOnlyList<ErasureWaitingOrderResponse> Waiting);

/// <summary>An order whose personal fields are kept until <see cref="Until"/> (null: no date yet) for <see cref="Reason"/>.</summary>
public sealed record ErasureWaitingOrderResponse(string OrderNo, string Status, DateTimeOffset? Until, string Reason);

public static class ErasureStatuses
{
    public const string Pending = "Pending";
    public const string Completed = "Completed";
}

/// <summary>Erasure's own problem codes. Stable: clients branch on them.</summary>
public static class ErasureErrorCodes
{
    /// <summary>404: no erasure was ever requested for this customer.</summary>
    public const string ErasureNotFound = "ERASURE_NOT_FOUND";
}

/// <summary>Erasure of a customer's personal data: by the customer, or by an admin on their behalf.</summary>
public interface IErasureApi
{
    [Post("/api/me/data/erasure")]
    Task<IApiResponse<ErasureResponse>> RequestAsync(CancellationToken cancellationToken = default);

    [Get("/api/me/data/erasure")]
    Task<IApiResponse<ErasureResponse>> GetAsync(CancellationToken cancellationToken = default);

    [Post("/api/admin/customers/{userId}/erasure")]
    Task<IApiResponse<ErasureResponse>> RequestForAsync(string userId, CancellationToken cancellationToken = default);

    [Get("/api/admin/customers/{userId}/erasure")]
    Task<IApiResponse<ErasureResponse>> GetForAsync(string userId, CancellationToken cancellationToken = default);
}

public static class ErasureApiClient
{
    public static IErasureApi Create(HttpClient httpClient) =>
        RestService.For<IErasureApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
