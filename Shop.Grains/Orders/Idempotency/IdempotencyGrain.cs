using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// One user's Idempotency-Key of <c>POST /api/orders</c>. Reads nothing on activation: a new key costs one INSERT (with
/// a freshly minted order number) and one UPDATE for the answer; only a key already in the table costs a read. The
/// record is kept in memory afterwards, and the single activation serializes concurrent duplicates.
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
    [FromKeyedServices(OrdersRegistration.ClockKey)] TimeProvider clock) : Grain, IIdempotencyGrain
{
    private static readonly TimeSpan NumberWait = TimeSpan.FromSeconds(5);

    private IdempotencyRecord? _record;

    private string Key => this.GetPrimaryKeyString();

    public async Task<IdempotencyDecision> BeginAsync(string requestHash)
    {
        ValidateHash(requestHash);
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

        if (_record.RequestHash != requestHash)
        {
            return new IdempotencyDecision(IdempotencyOutcome.KeyReused, null, null);
        }

        return _record.Response is { } response
            ? new IdempotencyDecision(IdempotencyOutcome.Replay, _record.OrderNo, Reveal(response))
            : new IdempotencyDecision(IdempotencyOutcome.Proceed, _record.OrderNo, null);
    }

    public async Task<IdempotentCreate> CreateOrderAsync(string requestHash, CreateOrderCommand command)
    {
        var decision = await BeginAsync(requestHash);
        if (decision.Outcome != IdempotencyOutcome.Proceed)
        {
            return new IdempotentCreate(decision, null);
        }

        // Called from here (not by the API) so the order activates on this silo, where its number was just minted.
        return new IdempotentCreate(decision, await GrainFactory.GetGrain<IOrderGrain>(decision.OrderNo!).CreateAsync(command));
    }

    public async Task<IdempotentResponse> CompleteAsync(string requestHash, IdempotentResponse response)
    {
        ValidateHash(requestHash);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentOutOfRangeException.ThrowIfLessThan(response.StatusCode, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(response.StatusCode, 599);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(response.Body.Length, IdempotencyKeys.MaxBodyLength);
        if (_record is null)
        {
            // Activated again since CreateOrderAsync (its silo died in between): the record is in the store.
            await BeginAsync(requestHash);
        }

        if (_record is not { } record || IsExpired(record) || record.RequestHash != requestHash)
        {
            throw new InvalidOperationException("No request with this hash is in progress under this idempotency key.");
        }

        if (record.Response is null)
        {
            // The stored answer is the order as its owner sees it (shipping name, phone, address): encrypted at rest.
            var sealedResponse = response with { Body = protector.Protect(response.Body, Context) };
            _record = await store.CompleteAsync(Key, record, sealedResponse, CancellationToken.None)
                ?? throw new InvalidOperationException("The idempotency record vanished while the request was in progress.");
            if (ReferenceEquals(_record.Response, sealedResponse))
            {
                // Ours was stored: no need to decrypt what was just encrypted.
                return response;
            }
        }

        return Reveal(_record.Response!);
    }

    private string Context => $"idempotency:{Key}";

    private IdempotentResponse Reveal(IdempotentResponse stored) => stored with { Body = protector.Unprotect(stored.Body, Context) };

    private bool IsExpired(IdempotencyRecord record) => clock.GetUtcNow() - record.CreatedAt >= IdempotencyKeys.Retention;

    private static void ValidateHash(string requestHash)
    {
        if (string.IsNullOrEmpty(requestHash) || requestHash.Length > IdempotencyKeys.MaxHashLength)
        {
            throw new ArgumentException($"The request hash must be 1 to {IdempotencyKeys.MaxHashLength} characters.", nameof(requestHash));
        }
    }
}
