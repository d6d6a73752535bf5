using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Shop.Grains.Interfaces.Orders;

/// <summary>
/// The Idempotency-Key of one user's <c>POST /api/orders</c> (key = <see cref="IdempotencyKeys.GrainKey"/>). Its single
/// activation serializes concurrent duplicates: the first request reserves an order number, every duplicate gets the
/// same one (and the order grain creates an order number once), and once a response is stored every repeat within
/// <see cref="IdempotencyKeys.Retention"/> gets exactly that response.
/// </summary>
[Alias("Shop.Orders.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <param name="requestHash">A hash of the request body (e.g. hex SHA-256); a different hash under the same key is a reuse.</param>
    [Alias("Begin")]
    Task<IdempotencyDecision> BeginAsync(string requestHash);

    /// <summary>
    /// <see cref="BeginAsync"/>, then, when the decision is to proceed, creates the order under the decided number (the
    /// order grain turns a repeated create of one number into a no-op). The caller formats the answer and completes.
    /// </summary>
    [Alias("CreateOrder")]
    Task<IdempotentCreate> CreateOrderAsync(string requestHash, CreateOrderCommand command);

    /// <summary>Stores the response of the request begun with <paramref name="requestHash"/>; the first stored response wins and is returned.</summary>
    /// <exception cref="InvalidOperationException">No request with this hash was begun under the key (or it expired).</exception>
    [Alias("Complete")]
    Task<IdempotentResponse> CompleteAsync(string requestHash, IdempotentResponse response);
}

[GenerateSerializer, Alias("Shop.Orders.IdempotencyOutcome")]
public enum IdempotencyOutcome
{
    /// <summary>Create the order with <see cref="IdempotencyDecision.OrderNo"/> (also for a duplicate whose first attempt has not finished), then complete.</summary>
    Proceed,

    /// <summary>Return <see cref="IdempotencyDecision.Response"/> as it is.</summary>
    Replay,

    /// <summary>The key was used with a different request: 422 IDEMPOTENCY_KEY_REUSED.</summary>
    KeyReused,
}

[GenerateSerializer, Immutable, Alias("Shop.Orders.IdempotencyDecision")]
public sealed record IdempotencyDecision(
    [property: Id(0)] IdempotencyOutcome Outcome,
    [property: Id(1)] string? OrderNo,
    [property: Id(2)] IdempotentResponse? Response);

/// <summary>The decision, and the order's outcome when it was to proceed.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.IdempotentCreate")]
public sealed record IdempotentCreate(
    [property: Id(0)] IdempotencyDecision Decision,
    [property: Id(1)] OrderOutcome? Order);

/// <summary>What the API answered: replayed byte for byte.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Orders.IdempotentResponse")]
public sealed record IdempotentResponse(
    [property: Id(0)] int StatusCode,
    [property: Id(1)] string Body);

public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 64;
    public const int MaxHashLength = 128;
    public const int MaxBodyLength = 64 * 1024;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>1 to 64 visible ASCII characters (a UUID fits), so the key is safe in a grain id and in logs.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is > ' ' and <= '~');

    /// <summary>
    /// The grain (and table) key of one caller's key: "v2:" and the hex SHA-256 of the caller's UTF-8 length (4 bytes,
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
