using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// One user's Idempotency-Key of <c>POST /api/orders</c>. Reads nothing on activation: a new key costs one INSERT (with
/// a freshly minted order number) and one UPDATE for the answer, both shared with the other keys being answered on
/// this silo at the same moment; only a key already in the table costs a read. The record is kept in memory
/// afterwards, and the single activation serializes concurrent duplicates.
/// </summary>
/// <remarks>
/// Collected after 2 idle minutes instead of the default 15: a client's retry comes within seconds, a later repeat
/// costs one read, and in a flash sale every order leaves one of these behind (at 1,000 orders a second, 15 minutes
/// would hold 900,000 of them in memory).
/// </remarks>
[CollectionAgeLimit(Minutes = 2)]
public sealed class IdempotencyGrain(
    IIdempotencyStore store,
    OrderNumberGenerator numbers,
    FreshOrderNumbers fresh,
    PersonalDataProtector protector,
    Serializer serializer,
    [FromKeyedServices(OrdersRegistration.ClockKey)] TimeProvider clock) : Grain, IIdempotencyGrain
{
    private static readonly TimeSpan NumberWait = TimeSpan.FromSeconds(5);

    private IdempotencyRecord? _record;

    private string Key => this.GetPrimaryKeyString();

    private string Context => $"idempotency:{Key}";

    public async Task<IdempotentOrder> CreateOrderAsync(string requestHash, CreateOrderCommand command, string? traceId)
    {
        ArgumentNullException.ThrowIfNull(command);
        var record = await BeginAsync(requestHash);
        if (record.RequestHash != requestHash)
        {
            return IdempotentOrder.KeyReused;
        }

        if (record.Answer is { } stored)
        {
            return new IdempotentOrder(IdempotencyOutcome.Answered, record.OrderNo, Unseal(stored));
        }

        // Called from here (not by the API) so the order activates on this silo, where its number was just minted; the
        // order grain turns a repeated create of one number (a retry after a crash) into its first outcome.
        var outcome = await GrainFactory.GetGrain<IOrderGrain>(record.OrderNo).CreateAsync(command);
        var answer = new IdempotentAnswer(outcome, traceId);
        var sealedAnswer = new StoredAnswer(protector.Protect(Convert.ToBase64String(serializer.SerializeToArray(answer)), Context));
        _record = await store.CompleteAsync(Key, record, sealedAnswer, CancellationToken.None)
            ?? throw new InvalidOperationException("The idempotency record vanished while the request was in progress.");

        // Ours was stored unless another silo's activation of this key answered first (then its answer is the key's).
        var first = ReferenceEquals(_record.Answer, sealedAnswer) ? answer : Unseal(_record.Answer!);
        return new IdempotentOrder(IdempotencyOutcome.Answered, record.OrderNo, first);
    }

    /// <summary>The key's live record, stored first (with a fresh order number) when there is none.</summary>
    private async Task<IdempotencyRecord> BeginAsync(string requestHash)
    {
        if (string.IsNullOrEmpty(requestHash) || requestHash.Length > IdempotencyKeys.MaxHashLength)
        {
            throw new ArgumentException($"The request hash must be 1 to {IdempotencyKeys.MaxHashLength} characters.", nameof(requestHash));
        }

        if (_record is null || IsExpired(_record))
        {
            // Stored before anyone creates the order: a retry after a crash, or a duplicate arriving meanwhile, reuses
            // this number, and the order grain turns a second create of the same number into a no-op.
            var now = clock.GetUtcNow();
            var mine = new IdempotencyRecord(requestHash, await numbers.NextAsync(NumberWait), now.AddTicks(-(now.Ticks % 10)), null);
            var live = await store.InsertOrGetAsync(Key, mine, now - IdempotencyKeys.Retention, CancellationToken.None);
            if (live is null)
            {
                fresh.Add(mine.OrderNo);
            }

            _record = live ?? mine;
        }

        return _record;
    }

    private IdempotentAnswer Unseal(StoredAnswer stored) => stored switch
    {
        { SealedOutcome: { } outcome } => serializer.Deserialize<IdempotentAnswer>(Convert.FromBase64String(protector.Unprotect(outcome, Context)))
            ?? throw new InvalidOperationException("A stored answer is empty."),
        { Response: { } response } => new IdempotentAnswer(null, null, response with { Body = protector.Unprotect(response.Body, Context) }),
        _ => throw new InvalidOperationException("A stored answer holds neither an outcome nor a response."),
    };

    private bool IsExpired(IdempotencyRecord record) => clock.GetUtcNow() - record.CreatedAt >= IdempotencyKeys.Retention;
}
