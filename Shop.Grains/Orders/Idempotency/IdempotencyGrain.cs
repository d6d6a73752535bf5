using Microsoft.Extensions.DependencyInjection;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

[GenerateSerializer, Alias("Shop.Orders.IdempotencyRecord")]
public sealed record IdempotencyRecord(
    [property: Id(0)] string RequestHash,
    [property: Id(1)] string OrderNo,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] IdempotentResponse? Response);

[GenerateSerializer, Alias("Shop.Orders.IdempotencyState")]
public sealed record IdempotencyState
{
    [Id(0)]
    public IdempotencyRecord? Record { get; init; }
}

public sealed class IdempotencyGrain(
    [PersistentState("idempotency")] IPersistentState<IdempotencyState> state,
    OrderNumberGenerator numbers,
    PersonalDataProtector protector,
    [FromKeyedServices(OrdersRegistration.ClockKey)] TimeProvider clock) : Grain, IIdempotencyGrain
{
    private static readonly TimeSpan NumberWait = TimeSpan.FromSeconds(5);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Record is { } record && IsExpired(record))
        {
            await state.ClearStateAsync(cancellationToken);
        }
    }

    public async Task<IdempotencyDecision> BeginAsync(string requestHash)
    {
        ValidateHash(requestHash);
        if (state.State.Record is { } record && !IsExpired(record))
        {
            if (record.RequestHash != requestHash)
            {
                return new IdempotencyDecision(IdempotencyOutcome.KeyReused, null, null);
            }

            return record.Response is { } response
                ? new IdempotencyDecision(IdempotencyOutcome.Replay, record.OrderNo, Reveal(response))
                : new IdempotencyDecision(IdempotencyOutcome.Proceed, record.OrderNo, null);
        }

        // Stored before anyone creates the order: a retry after a crash, or a duplicate arriving meanwhile, reuses
        // this number, and the order grain turns a second create of the same number into a no-op.
        var fresh = new IdempotencyRecord(requestHash, await numbers.NextAsync(NumberWait), clock.GetUtcNow(), null);
        state.State = new IdempotencyState { Record = fresh };
        await state.WriteStateAsync();
        return new IdempotencyDecision(IdempotencyOutcome.Proceed, fresh.OrderNo, null);
    }

    public async Task<IdempotentResponse> CompleteAsync(string requestHash, IdempotentResponse response)
    {
        ValidateHash(requestHash);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentOutOfRangeException.ThrowIfLessThan(response.StatusCode, 200);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(response.StatusCode, 599);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(response.Body.Length, IdempotencyKeys.MaxBodyLength);
        if (state.State.Record is not { } record || IsExpired(record) || record.RequestHash != requestHash)
        {
            throw new InvalidOperationException("No request with this hash is in progress under this idempotency key.");
        }

        if (record.Response is { } first)
        {
            return Reveal(first);
        }

        // The stored answer is the order as its owner sees it (shipping name, phone, address): encrypted at rest.
        state.State = new IdempotencyState { Record = record with { Response = response with { Body = protector.Protect(response.Body, Context) } } };
        await state.WriteStateAsync();
        return response;
    }

    private string Context => $"idempotency:{this.GetPrimaryKeyString()}";

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
