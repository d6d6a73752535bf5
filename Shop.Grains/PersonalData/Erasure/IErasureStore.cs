using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.PersonalData.Erasure;

/// <summary>
/// A customer's erasure request as stored. <see cref="UserId"/> is kept only while the request is pending (the work
/// needs it) and is gone once it completes; <see cref="Pseudonym"/> is what the kept records name instead, also kept
/// only while pending: the row's key is a hash of the user id, so a pseudonym left in it would lead anyone holding a
/// user id and read access to the database straight to the customer's kept orders.
/// </summary>
public sealed record ErasureRecord(
    string LookupKey,
    string RequestId,
    string? UserId,
    string? Pseudonym,
    ErasureStatus Status,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? DueAt,
    ImmutableList<ErasureWaitingOrder> Waiting,
    int ErasedOrders)
{
    public ErasureRequestView ToView() => new(RequestId, Status, RequestedAt, RequestedBy, CompletedAt, Waiting,
        Waiting.Count == 0 || Waiting.Any(w => w.Until is null) ? null : Waiting.Max(w => w.Until), ErasedOrders,
        Status == ErasureStatus.Pending ? DueAt : null);
}

public sealed record ExpiredOrder(DateTimeOffset UpdatedAt, string OrderNo);

/// <summary>Where erasure requests live, and the statements that erase what no grain holds (log rows, list columns, emptied rows).</summary>
public interface IErasureStore
{
    Task<(ErasureRecord? Record, long Version)> LoadAsync(string lookupKey, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="record"/> as version <paramref name="expectedVersion"/> + 1 (0: a new row).</summary>
    /// <exception cref="InvalidOperationException">Another writer stored that version first.</exception>
    Task SaveAsync(ErasureRecord record, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Lookup keys of pending requests due at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Order numbers still under <paramref name="userId"/> (every phase), after <paramref name="after"/> in number order.</summary>
    Task<IReadOnlyList<string>> ListOrdersAsync(string userId, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// After the order grain erased its own row: the order's list column, event log, Idempotency-Key records,
    /// after-sales list column, its SKUs' stock log and snapshots, and its bill rows name the pseudonym, not the
    /// user, and no longer hold the openid.
    /// </summary>
    Task ScrubOrderAsync(string orderNo, IReadOnlyList<string> skus, string userId, string? openId, string pseudonym, CancellationToken cancellationToken = default);

    /// <summary>
    /// What is kept per customer rather than per order: deletes the emptied grain-storage rows keyed by the user id (cart,
    /// address book, export budget), after their grains cleared them, and makes the operators' access log
    /// (personal_data_access) name the pseudonym, so who read what and when stays on record without naming the customer.
    /// </summary>
    Task ScrubCustomerAsync(string userId, string pseudonym, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finished orders last changed before <paramref name="cutoff"/> whose personal fields are still there, oldest first,
    /// after <paramref name="after"/> in that order (keyset paging: orders that must wait never hide the ones behind them).
    /// </summary>
    Task<IReadOnlyList<ExpiredOrder>> ListExpiredOrdersAsync(DateTimeOffset cutoff, ExpiredOrder? after, int limit, CancellationToken cancellationToken = default);

    Task<(long Pending, long Completed)> CountAsync(CancellationToken cancellationToken = default);
}

public static class ErasureJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
