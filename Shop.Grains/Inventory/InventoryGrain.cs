using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.Inventory;

/// <summary>
/// One SKU's stock. Reentrant so that concurrent requests can share one write (group commit, see
/// InventoryGrain.Commit.cs); every decision is made in one synchronous turn against memory that includes the
/// decisions not yet stored, and every answer waits for the write that contains what it depends on.
/// The clock is the one that drives grain timers (the silo's TimeProvider unless a test replaces the grains' clock),
/// so expiry times and the timer that acts on them can never disagree.
/// </summary>
[Reentrant]
public sealed partial class InventoryGrain(
    IInventoryStore store,
    [FromKeyedServices(TimeProviderNames.Grains)] TimeProvider clock,
    IOptions<InventoryOptions> options,
    ILogger<InventoryGrain> logger) : Grain, IInventoryGrain, IRemindable
{
    private readonly InventoryOptions _options = options.Value;

    private string Sku => this.GetPrimaryKeyString();

    private DateTimeOffset Now => clock.GetUtcNow();

    public async Task<ReserveResult> ReserveAsync(string orderId, int quantity, DateTimeOffset expiresAt)
    {
        RequireReservation(orderId, quantity);
        var result = Reserve(await ReadyAsync(expire: true), orderId, quantity, expiresAt);
        await CommittedAsync();
        return result;
    }

    public async Task<ReserveResult?[]> ReserveManyAsync(ReserveRequest[] requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            RequireReservation(request.OrderId, request.Quantity);
            RequireHolder(request.UserId, request.CampaignId);
        }

        // Decided one after another in one turn, against memory that already holds the earlier ones: the same
        // answers the calls one by one would get, and one write for all of them.
        var ledger = await ReadyAsync(expire: true);
        var results = new ReserveResult?[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            try
            {
                results[i] = Reserve(ledger, requests[i].OrderId, requests[i].Quantity, requests[i].ExpiresAt, requests[i].UserId, requests[i].CampaignId);
            }
            catch (ArgumentOutOfRangeException)
            {
                // Expired on arrival: refused alone (the coalescer throws to that caller), not failing the others.
                results[i] = null;
            }
        }

        await CommittedAsync();
        return results;
    }

    private ReserveResult Reserve(InventoryLedger ledger, string orderId, int quantity, DateTimeOffset expiresAt,
        string? userId = null, string? campaignId = null)
    {
        if (ledger.TryGetReservation(orderId, out var held))
        {
            return new(ReserveStatus.AlreadyReserved, held.Quantity, ledger.Available, held.ExpiresAt);
        }

        if (ledger.TryGetOutcome(orderId, out var outcome))
        {
            var status = outcome.Kind == OutcomeKind.Confirmed ? ReserveStatus.AlreadyConfirmed : ReserveStatus.AlreadyReleased;
            return new(status, outcome.Quantity, ledger.Available, null);
        }

        if (expiresAt <= Now)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAt), expiresAt, "A new reservation must expire in the future.");
        }

        if (RefuseHold(ledger, quantity, userId, campaignId) is { } refused)
        {
            return refused;
        }

        if (campaignId is null && ledger.Available < quantity)
        {
            return new(ReserveStatus.Insufficient, 0, ledger.Available, null);
        }

        Record(new StockReserved(orderId, quantity, expiresAt, Now, userId, campaignId));
        return new(ReserveStatus.Reserved, quantity, ledger.Available, expiresAt);
    }

    private static void RequireReservation(string orderId, int quantity)
    {
        RequireOrderId(orderId);
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, InventoryOptions.MaxQuantity);
    }

    public async Task<ConfirmResult> ConfirmAsync(string orderId)
    {
        RequireOrderId(orderId);
        var ledger = await ReadyAsync(expire: true);
        ConfirmResult result;
        if (ledger.TryGetReservation(orderId, out var held))
        {
            Record(new ReservationConfirmed(orderId, Now));
            result = new(ConfirmStatus.Confirmed, held.Quantity, null);
        }
        else if (ledger.TryGetOutcome(orderId, out var outcome))
        {
            result = outcome.Kind switch
            {
                OutcomeKind.Confirmed => new(ConfirmStatus.Confirmed, outcome.Quantity, null),
                OutcomeKind.Expired => new(ConfirmStatus.Released, outcome.Quantity, ReleaseReason.Expired),
                _ => new(ConfirmStatus.Released, outcome.Quantity, ReleaseReason.Cancelled),
            };
        }
        else
        {
            result = new(ConfirmStatus.NotReserved, 0, null);
        }

        await CommittedAsync();
        return result;
    }

    public async Task<ReleaseResult> ReleaseAsync(string orderId)
    {
        RequireOrderId(orderId);
        var ledger = await ReadyAsync(expire: true);
        ReleaseResult result;
        if (ledger.TryGetReservation(orderId, out var held))
        {
            Record(new ReservationReleased(orderId, ReleaseReason.Cancelled, Now));
            result = new(ReleaseStatus.Released, held.Quantity, ReleaseReason.Cancelled);
        }
        else if (ledger.TryGetOutcome(orderId, out var outcome))
        {
            // An order released by expiry first and by the order side later is counted once: the second is a repeat.
            result = outcome.Kind switch
            {
                OutcomeKind.Confirmed => new(ReleaseStatus.AlreadyConfirmed, outcome.Quantity, null),
                OutcomeKind.Expired => new(ReleaseStatus.Released, outcome.Quantity, ReleaseReason.Expired),
                _ => new(ReleaseStatus.Released, outcome.Quantity, ReleaseReason.Cancelled),
            };
        }
        else
        {
            result = new(ReleaseStatus.NotReserved, 0, null);
        }

        await CommittedAsync();
        return result;
    }

    private static void RequireOrderId(string orderId) => RequireText(orderId, nameof(orderId), InventoryOptions.MaxOrderIdLength);

    private static void RequireText(string value, string name, int maxLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value.Length, maxLength, name);
    }
}
