using Shop.Grains.Interfaces.Fulfilment;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Api.Fulfilment;

/// <summary>
/// This API process's copy of the courier list a parcel may name: the list the cluster last fetched from WeChat
/// (<see cref="ICourierListGrain"/>), or the embedded file when none was fetched or the mini program is off. A
/// shipment costs one in-memory lookup; the grain is read again after <see cref="Ttl"/>, or at once (at most every
/// <see cref="MissRefresh"/>) when a shipment names a courier this copy does not know: one WeChat just added.
/// </summary>
public sealed class CourierDirectory(IClusterClient cluster, ILogger<CourierDirectory> logger)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    /// <summary>A mistyped courier re-reads at most this often, so a batch of typos never costs a grain call each.</summary>
    public static readonly TimeSpan MissRefresh = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _current;

    /// <summary>The list, read again first when stale or when one of <paramref name="couriers"/> is unknown here.</summary>
    public ValueTask<DeliveryCompanies> GetAsync(IEnumerable<string> couriers)
    {
        var current = _current;
        if (current is not null && current.Age < Ttl && (current.Age < MissRefresh || couriers.All(current.Companies.IsKnown)))
        {
            return new(current.Companies);
        }

        return new(ReadAsync(current));
    }

    private async Task<DeliveryCompanies> ReadAsync(Snapshot? seen)
    {
        await _refresh.WaitAsync();
        try
        {
            // Someone else read it while this call waited: theirs is as fresh.
            if (_current is { } newer && !ReferenceEquals(newer, seen))
            {
                return newer.Companies;
            }

            FetchedCourierList? fetched;
            try
            {
                fetched = await cluster.GetGrain<ICourierListGrain>(ICourierListGrain.Key).GetAsync();
            }
            catch (Exception ex) when (seen is not null && ex is not OperationCanceledException)
            {
                // The cluster is briefly away: the copy held is better than refusing couriers it knows.
                logger.LogWarning(ex, "The courier list was not read from the cluster; keeping this process's copy");
                _current = seen with { LoadedAt = Environment.TickCount64 };
                return seen.Companies;
            }

            var companies = fetched is null ? DeliveryCompanies.Embedded
                : seen?.FetchedAt == fetched.FetchedAt ? seen.Companies
                : DeliveryCompanies.Create($"WeChat get_delivery_list, fetched {fetched.FetchedAt:O}",
                    [.. fetched.Couriers.Select(c => new DeliveryCompany(c.DeliveryId, c.DeliveryName))]);
            _current = new Snapshot(companies, fetched?.FetchedAt, Environment.TickCount64);
            return companies;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(DeliveryCompanies Companies, DateTimeOffset? FetchedAt, long LoadedAt)
    {
        public TimeSpan Age => TimeSpan.FromMilliseconds(Environment.TickCount64 - LoadedAt);
    }
}
