using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Campaigns;

namespace Shop.Grains.Campaigns;

/// <summary>
/// A customer's unpaid orders, for the hoarding limit. Memory is the working copy: loaded from the orders table when
/// the grain activates (one read per customer, not per order), then kept by the orders themselves (admitted at create,
/// released when paid, closed or refused). An order whose release never arrives stops counting at its payment
/// deadline, when it closes by itself anyway, so a lost message costs the customer at most that wait.
/// Not reentrant: each admission is decided after the one before it, so concurrent orders cannot pass the limit together.
/// </summary>
public sealed class UnpaidOrdersGrain(
    IUnpaidOrderSource source,
    IOptions<HoardingOptions> options,
    [FromKeyedServices(Orders.OrdersRegistration.ClockKey)] TimeProvider clock) : Grain, IUnpaidOrdersGrain
{
    private readonly Dictionary<string, DateTimeOffset> _unpaid = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MaxUnpaidOrders > 0)
        {
            foreach (var (orderNo, until) in await source.ListUnpaidAsync(this.GetPrimaryKeyString(), cancellationToken))
            {
                _unpaid[orderNo] = until;
            }
        }
    }

    public Task<bool> AdmitAsync(string orderNo, DateTimeOffset until)
    {
        var max = options.Value.MaxUnpaidOrders;
        if (max <= 0 || _unpaid.ContainsKey(orderNo))
        {
            _unpaid[orderNo] = until;
            return Task.FromResult(true);
        }

        var now = clock.GetUtcNow();
        if (_unpaid.Count >= max)
        {
            foreach (var (lapsed, _) in _unpaid.Where(p => p.Value <= now).ToList())
            {
                _unpaid.Remove(lapsed);
            }
        }

        if (_unpaid.Count >= max)
        {
            CampaignMetrics.RefusedUnpaidOrder();
            return Task.FromResult(false);
        }

        _unpaid[orderNo] = until;
        return Task.FromResult(true);
    }

    public Task ReleaseAsync(string orderNo)
    {
        _unpaid.Remove(orderNo);
        return Task.CompletedTask;
    }
}

/// <summary>Where a customer's unpaid orders are read from when the grain activates.</summary>
public interface IUnpaidOrderSource
{
    /// <summary>Orders of the user that are unpaid (or still being created), with their payment deadline.</summary>
    Task<IReadOnlyList<(string OrderNo, DateTimeOffset Until)>> ListUnpaidAsync(string userId, CancellationToken cancellationToken);
}
