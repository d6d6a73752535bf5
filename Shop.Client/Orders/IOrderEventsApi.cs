using Refit;

namespace Shop.Client.Orders;

/// <summary>Admin routes over the order event log (role "admin").</summary>
public interface IOrderEventsApi
{
    /// <summary>Events with seq &gt; <paramref name="after"/> (default 0), at most <paramref name="limit"/> (1..500, default 100).</summary>
    [Get("/api/admin/events")]
    Task<OrderEventPageResponse> GetOrderEventsAsync([Query] long? after = null, [Query] int? limit = null, CancellationToken cancellationToken = default);
}
