using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// Where <c>POST /api/orders</c> goes: one call creates the order under the caller's Idempotency-Key and stores its
/// outcome, and every repeat within <see cref="IdempotencyKeys.Retention"/> gets exactly that answer. A stateless
/// worker (call it with id 0): the key's record in the table, not an activation per key, decides who was first, so a
/// flash sale does not leave one activation per order behind.
/// </summary>
[Alias("Shop.Orders.IOrderCreationGrain")]
public interface IOrderCreationGrain : IGrainWithIntegerKey
{
    /// <param name="idempotencyKey">The caller's key as <see cref="IdempotencyKeys.GrainKey"/> scopes it.</param>
    /// <param name="requestHash">A hash of the request body (e.g. hex SHA-256); a different hash under the same key is a reuse.</param>
    /// <param name="traceId">The trace id of the request that creates the order: a problem answer carries it, also when replayed.</param>
    [Alias("CreateOrder")]
    Task<IdempotentOrder> CreateOrderAsync(string idempotencyKey, string requestHash, CreateOrderCommand command, string? traceId);
}

[GenerateSerializer, Alias("Shop.Orders.IdempotencyOutcome")]
public enum IdempotencyOutcome
{
    /// <summary>The key's answer (the first request's, or this one's if it was first): <see cref="IdempotentOrder.Answer"/>.</summary>
    Answered,

    /// <summary>The key was used with a different request: 422 IDEMPOTENCY_KEY_REUSED.</summary>
    KeyReused,
}

[GenerateSerializer, Immutable, Alias("Shop.Orders.IdempotentOrder")]
public sealed record IdempotentOrder(
    [property: Id(0)] IdempotencyOutcome Outcome,
    [property: Id(1)] string? OrderNo,
    [property: Id(2)] IdempotentAnswer? Answer)
{
    public static IdempotentOrder KeyReused { get; } = new(IdempotencyOutcome.KeyReused, null, null);
}

/// <summary>
/// The answer stored under a key: the order's outcome and the trace id of the request that produced it, or, for keys
/// answered before deploy/sql/0034, the API's response as it was sent (<see cref="Response"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.IdempotentAnswer")]
public sealed record IdempotentAnswer(
    [property: Id(0)] OrderOutcome? Outcome,
    [property: Id(1)] string? TraceId,
    [property: Id(2)] IdempotentResponse? Response = null);

/// <summary>What the API answered, for keys answered before answers were stored as outcomes: replayed byte for byte.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.IdempotentResponse")]
public sealed record IdempotentResponse(
    [property: Id(0)] int StatusCode,
    [property: Id(1)] string Body);

public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 64;
    public const int MaxHashLength = 128;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>1 to 64 visible ASCII characters (a UUID fits), so the key is safe in a grain id and in logs.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is > ' ' and <= '~');

    /// <summary>
    /// The table key of one caller's key: "v2:" and the hex SHA-256 of the caller's UTF-8 length (4 bytes,
    /// big-endian), the caller and the key. The length keeps caller and key apart whatever characters either holds, so
    /// ("alice", "checkout:42") and ("alice:checkout", "42") are two keys (plain "caller:key" made them one).
    /// deploy/sql/0033_order_idempotency_scope.sql computes the same value for records stored before.
    /// </summary>
    public static string GrainKey(string userId, string key)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(key);
        var userLength = Encoding.UTF8.GetByteCount(userId);
        var input = new byte[4 + userLength + Encoding.UTF8.GetByteCount(key)];
        BinaryPrimitives.WriteInt32BigEndian(input, userLength);
        Encoding.UTF8.GetBytes(userId, input.AsSpan(4));
        Encoding.UTF8.GetBytes(key, input.AsSpan(4 + userLength));
        return "v2:" + Convert.ToHexStringLower(SHA256.HashData(input));
    }

    /// <summary>
    /// The request hash to pass to the grain: hex SHA-256 of the request re-serialized from its contract record, so
    /// whitespace or property order do not make the same request look different.
    /// </summary>
    public static string RequestHash(ReadOnlySpan<byte> canonicalRequest) => Convert.ToHexStringLower(SHA256.HashData(canonicalRequest));
}
