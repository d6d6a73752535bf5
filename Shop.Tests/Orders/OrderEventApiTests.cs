using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using Shop.Client;
using Shop.Client.Orders;
using Shop.Grains.Orders;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Orders;

public sealed class OrderEventApiTests
{
    private static IOrderEventsApi Api(ShopTestCluster cluster, string? token) =>
        RestService.For<IOrderEventsApi>(cluster.CreateClient(token), new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));

    [Fact]
    public async Task An_admin_pages_through_the_order_event_log_over_http()
    {
        await using var cluster = await ShopTestCluster.StartAsync();
        var events = Enumerable.Range(0, 7).Select(i => OrderEventTests.Paid($"2026112700000000000000000{i:000}", amount: 100 + i)).ToList();
        var publisher = cluster.Silos[0].App.Services.GetRequiredService<IOrderEventPublisher>();
        Assert.All(await publisher.PublishAsync(events), r => Assert.True(r.Published, r.Error));
        var admin = Api(cluster, TestTokens.Admin());

        var first = await admin.GetOrderEventsAsync(limit: 5);
        var second = await admin.GetOrderEventsAsync(after: first.Next, limit: 5);
        var end = await admin.GetOrderEventsAsync(after: second.Next);

        Assert.Equal(events.Select(e => e.EventId), first.Events.Concat(second.Events).Select(e => e.EventId));
        Assert.Equal(new[] { 5, 2, 0 }, new[] { first.Events.Count, second.Events.Count, end.Events.Count });
        Assert.Equal(second.Next, end.Next);
        var last = second.Events[^1];
        Assert.Equal(("OrderPaid", events[^1].OrderNo, 106L), (last.Type, last.OrderNo, last.Payload.GetProperty("amountFen").GetInt64()));
    }

    [Fact]
    public async Task Only_admins_may_read_it_and_bad_paging_is_a_validation_problem()
    {
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true);

        await Problems.AssertThrowsAsync(() => Api(cluster, null).GetOrderEventsAsync(), HttpStatusCode.Unauthorized, ShopErrorCodes.Unauthorized);
        await Problems.AssertThrowsAsync(() => Api(cluster, TestTokens.Customer()).GetOrderEventsAsync(), HttpStatusCode.Forbidden, ShopErrorCodes.Forbidden);
        var admin = Api(cluster, TestTokens.Admin());
        var problem = await Problems.AssertThrowsAsync(() => admin.GetOrderEventsAsync(limit: 501), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.Contains("limit", problem.Errors.Keys);
        await Problems.AssertThrowsAsync(() => admin.GetOrderEventsAsync(after: -1), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
        Assert.Empty((await admin.GetOrderEventsAsync()).Events);
    }
}
