using Shop.Client;
using Shop.Client.Orders;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders.Flow;

/// <summary>The admin event log (<c>GET /api/admin/events</c>) as a test reads it: every page, one order's events, oldest first.</summary>
public static class OrderEventLog
{
    public static async Task<List<OrderEventResponse>> EventsOfAsync(this ShopTestCluster cluster, string orderNo)
    {
        var events = Refit.RestService.For<IOrderEventsApi>(cluster.CreateClient(TestTokens.Admin()),
            new Refit.RefitSettings(new Refit.SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
        var found = new List<OrderEventResponse>();
        for (long after = 0; ;)
        {
            var page = await events.GetOrderEventsAsync(after, OrderEventPageResponse.MaxLimit);
            found.AddRange(page.Events.Where(e => e.OrderNo == orderNo));
            if (page.Events.Count == 0)
            {
                return found;
            }

            after = page.Next;
        }
    }
}
