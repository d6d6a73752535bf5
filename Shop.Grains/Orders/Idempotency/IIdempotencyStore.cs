using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>One Idempotency-Key's record: the request it was first used with, its order number, and the stored answer.</summary>
[GenerateSerializer, Alias("Shop.Orders.IdempotencyRecord")]
public sealed record IdempotencyRecord(
    [property: Id(0)] string RequestHash,
    [property: Id(1)] string OrderNo,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] StoredAnswer? Answer);

/// <summary>
/// An answer as stored: the <see cref="IdempotentAnswer"/> serialized and encrypted (it holds the shipping address), or
/// for keys answered before deploy/sql/0034 the API's response (its body encrypted the same way).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.StoredAnswer")]
public sealed record StoredAnswer(
    [property: Id(0)] string? SealedOutcome,
    [property: Id(1)] IdempotentResponse? Response = null);

/// <summary>
/// The <c>order_idempotency</c> table. A new key is one INSERT (no read first), its answer one UPDATE; only a key that
/// is already there costs a read.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Stores <paramref name="record"/> unless a record created after <paramref name="expiredBefore"/> exists: null when
    /// stored (a void record is replaced), else the live record.
    /// </summary>
    Task<IdempotencyRecord?> InsertOrGetAsync(string key, IdempotencyRecord record, DateTimeOffset expiredBefore, CancellationToken cancellationToken);

    /// <summary>Stores the answer of <paramref name="record"/> unless one is stored already; returns the record as stored.</summary>
    Task<IdempotencyRecord?> CompleteAsync(string key, IdempotencyRecord record, StoredAnswer answer, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="limit"/> records created before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken);
}
