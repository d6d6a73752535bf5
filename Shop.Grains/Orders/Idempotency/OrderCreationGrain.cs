using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Serialization;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Observability;

namespace Shop.Grains.Orders;

/// <summary>
/// <c>POST /api/orders</c> under one user's Idempotency-Key. The key's row in <c>order_idempotency</c> is stored first
/// (one INSERT, shared with every key being answered on this silo at the same moment) with a fresh order number; the
/// order grain creates the order under that number; the outcome is stored as the key's answer (one UPDATE, shared the
/// same way). Concurrent duplicates meet in the table (one INSERT wins, the others read its number), in the order grain
/// (one create per number) and again in the table (the first stored answer is everyone's).
/// </summary>
/// <remarks>
/// A reentrant stateless worker: a key costs no activation of its own (a flash sale made one per order, each held
/// for minutes), and nothing here waits behind another key. The order activates on this silo, where its number was
/// minted (the order grain prefers local placement), so it knows the number is new and reads nothing.
/// </remarks>
[StatelessWorker, Reentrant]
public sealed class OrderCreationGrain(
    IIdempotencyStore store,
    OrderNumberGenerator numbers,
    FreshOrderNumbers fresh,
    PersonalDataProtector protector,
    Serializer serializer,
    [FromKeyedServices(OrdersRegistration.ClockKey)] TimeProvider clock) : Grain, IOrderCreationGrain
{
    private static readonly TimeSpan NumberWait = TimeSpan.FromSeconds(5);

    public async Task<IdempotentOrder> CreateOrderAsync(string idempotencyKey, string requestHash, CreateOrderCommand command, string? traceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrEmpty(requestHash) || requestHash.Length > IdempotencyKeys.MaxHashLength)
        {
            throw new ArgumentException($"The request hash must be 1 to {IdempotencyKeys.MaxHashLength} characters.", nameof(requestHash));
        }

        var record = await BeginAsync(idempotencyKey, requestHash);
        if (record.RequestHash != requestHash)
        {
            return IdempotentOrder.KeyReused;
        }

        if (record.Answer is { } stored)
        {
            return new IdempotentOrder(IdempotencyOutcome.Answered, record.OrderNo, Unseal(idempotencyKey, stored));
        }

        // A repeated create of one number (a duplicate meanwhile, a retry after a crash) gets the first one's outcome.
        var outcome = await GrainFactory.GetGrain<IOrderGrain>(record.OrderNo).CreateAsync(command);
        var answer = new IdempotentAnswer(outcome, traceId);
        var sealedAnswer = new StoredAnswer(SealedAnswers.Seal(serializer, protector, answer, idempotencyKey));
        var completed = await store.CompleteAsync(idempotencyKey, record, sealedAnswer, CancellationToken.None)
            ?? throw new InvalidOperationException("The idempotency record vanished while the request was in progress.");

        // Ours was stored unless a duplicate's answer was stored first: then that one is the key's answer.
        var first = ReferenceEquals(completed.Answer, sealedAnswer) ? answer : Unseal(idempotencyKey, completed.Answer!);
        if (ReferenceEquals(first, answer))
        {
            ServiceProvider.GetRequiredService<ShopGrainMetrics>().OrderAnswered(outcome);
        }

        return new IdempotentOrder(IdempotencyOutcome.Answered, record.OrderNo, first);
    }

    /// <summary>The key's live record, stored first (with a fresh order number) when there is none.</summary>
    private async Task<IdempotencyRecord> BeginAsync(string key, string requestHash)
    {
        // Stored before anyone creates the order: a retry after a crash, or a duplicate arriving meanwhile, reuses this
        // number, and the order grain turns a second create of the same number into a no-op.
        var now = clock.GetUtcNow();
        string number;
        try
        {
            number = await numbers.NextAsync(NumberWait);
        }
        catch (OrderNumberUnavailableException unavailable) when (unavailable.SiloStopping)
        {
            // Nothing is stored yet: the API sends the same request to a silo that is not stopping (SiloFailoverRetry).
            throw new SiloUnavailableException($"No order number from this silo: {unavailable.Message}");
        }
        catch (OrderNumberUnavailableException unavailable)
        {
            // Nothing is stored yet, so "retry later" is exact; the generator's own exception has no codec to the API.
            throw new Interfaces.Infrastructure.InfrastructureUnavailableException($"No order number can be issued right now: {unavailable.Message}");
        }

        var mine = new IdempotencyRecord(requestHash, number, now.AddTicks(-(now.Ticks % 10)), null);
        var live = await store.InsertOrGetAsync(key, mine, now - IdempotencyKeys.Retention, CancellationToken.None);
        if (live is null)
        {
            fresh.Add(mine.OrderNo);
        }

        return live ?? mine;
    }

    private IdempotentAnswer Unseal(string key, StoredAnswer stored) => stored switch
    {
        { SealedOutcome: { } outcome } => SealedAnswers.Unseal(serializer, protector, outcome, key),
        { Response: { } response } => new IdempotentAnswer(null, null, response with { Body = protector.Unprotect(response.Body, SealedAnswers.Context(key)) }),
        _ => throw new InvalidOperationException("A stored answer holds neither an outcome nor a response."),
    };
}
