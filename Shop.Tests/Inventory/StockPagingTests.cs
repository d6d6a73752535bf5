using System.Net;
using Shop.Client.Inventory;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Inventory;

/// <summary>GET /api/admin/products/{id}/stock pages the live reservations by order id (ordinal), through HTTP.</summary>
public sealed class StockPagingTests(InventoryCluster inventory) : IClassFixture<InventoryCluster>
{
    private static readonly DateTimeOffset InAnHour = DateTimeOffset.UtcNow.AddHours(1);

    [Fact]
    public async Task Walking_the_pages_returns_every_reservation_exactly_once_in_ordinal_order_whatever_the_page_size()
    {
        const int Count = 257;
        var sku = await inventory.NewSkuAsync(10_000);
        var id = sku.GetPrimaryKeyString();

        // Mixed case: ordinal order ("A" < "B" < "a") is not the culture's ("a" < "A" < "b").
        var reserved = Enumerable.Range(0, Count)
            .Select(i => (OrderId: (i % 3) switch { 0 => $"A-{i}", 1 => $"a-{i}", _ => $"B{i}" }, Quantity: 1 + i % 5,
                ExpiresAt: InAnHour.AddSeconds(i)))
            .ToList();
        await Task.WhenAll(reserved.Select(r => sku.ReserveAsync(r.OrderId, r.Quantity, r.ExpiresAt)));
        var expected = reserved.OrderBy(r => r.OrderId, StringComparer.Ordinal).ToList();
        var api = Api();

        foreach (var (limit, pages) in new (int?, int)[] { (1, 257), (7, 37), (null, 3), (256, 2), (257, 1), (500, 1) })
        {
            var (seen, walked) = await WalkAsync(api, id, limit);

            Assert.Equal(pages, walked.Count);
            var levels = (10_000L, 10_000L - reserved.Sum(r => r.Quantity), Count);
            Assert.All(walked, page => Assert.Equal(levels, (page.Total, page.Available, page.ReservationCount)));
            Assert.All(walked.SkipLast(1), page => Assert.Equal(limit ?? StockResponse.DefaultLimit, page.Reservations.Count));
            Assert.Null(walked[^1].Next);
            Assert.Equal(expected.Select(r => r.OrderId), seen.Select(r => r.OrderId));
            Assert.Equal(expected.Select(r => r.Quantity), seen.Select(r => r.Quantity));
            Assert.All(expected.Zip(seen), p => Assert.Equal(p.First.ExpiresAt, p.Second.ExpiresAt, TimeSpan.FromMilliseconds(1)));
        }
    }

    [Fact]
    public async Task Reservations_that_stay_live_during_a_walk_appear_once_and_the_cursor_survives_its_own_reservation_ending()
    {
        var sku = await inventory.NewSkuAsync(1_000);
        var id = sku.GetPrimaryKeyString();
        var orders = Enumerable.Range(0, 20).Select(i => $"r-{i:D2}").ToList();
        await Task.WhenAll(orders.Select(o => sku.ReserveAsync(o, 1, InAnHour)));
        var api = Api();

        var first = await api.GetStockAsync(id, limit: 5);
        Assert.Equal(orders[..5], first.Reservations.Select(r => r.OrderId));
        Assert.Equal("r-04", first.Next);

        // Between pages: the cursor's own reservation is paid, one already seen and one not yet seen end, two are added.
        await sku.ConfirmAsync("r-04");
        await sku.ReleaseAsync("r-01");
        await sku.ReleaseAsync("r-07");
        await sku.ReserveAsync("r-03x", 1, InAnHour);
        await sku.ReserveAsync("r-15x", 1, InAnHour);

        var rest = await WalkAsync(api, id, 5, first.Next);
        var seen = first.Reservations.Concat(rest.Seen).Select(r => r.OrderId).ToList();

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Superset(orders.Except(["r-01", "r-04", "r-07"]).ToHashSet(), seen.ToHashSet());
        Assert.Contains("r-15x", seen);
        Assert.DoesNotContain("r-07", seen);
        Assert.Equal(19, rest.Pages[^1].ReservationCount);
    }

    [Fact]
    public async Task An_empty_sku_and_a_cursor_at_or_past_the_end_give_an_empty_last_page()
    {
        var empty = ProductId.New();
        var sku = await inventory.NewSkuAsync(10);
        var id = sku.GetPrimaryKeyString();
        await sku.ReserveAsync("order-b", 2, InAnHour);
        await sku.ReserveAsync("order-d", 3, InAnHour);
        var api = Api();

        var none = await api.GetStockAsync(empty);
        Assert.Equal((0L, 0, (string?)null), (none.Total, none.ReservationCount, none.Next));
        Assert.Empty(none.Reservations);
        foreach (var after in new[] { "order-d", "order-e", "~" })
        {
            var page = await api.GetStockAsync(id, after);
            Assert.Empty(page.Reservations);
            Assert.Equal((5L, 2, (string?)null), (page.Reserved, page.ReservationCount, page.Next));
        }

        // A cursor need not be a live reservation: the page starts right after its position.
        var between = await api.GetStockAsync(id, "order-c", 1);
        Assert.Equal(("order-d", (string?)null), (Assert.Single(between.Reservations).OrderId, between.Next));
        var start = await api.GetStockAsync(id, "", 1);
        Assert.Equal(("order-b", "order-b"), (Assert.Single(start.Reservations).OrderId, start.Next));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=%2B5", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("after=LONG", "after")]
    [InlineData("after=LONG&limit=0", "after,limit")]
    public async Task Bad_paging_parameters_are_rejected_naming_each_field(string query, string fields)
    {
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());
        var url = $"/api/admin/products/{ProductId.New()}/stock?{query.Replace("LONG", new string('x', 101))}";

        var response = await admin.GetAsync(url);

        foreach (var field in fields.Split(','))
        {
            await StockRequests.AssertValidationProblemAsync(response, field);
        }
    }

    [Fact]
    public async Task The_largest_page_and_the_longest_cursor_are_accepted()
    {
        using var admin = inventory.Cluster.CreateClient(TestTokens.Admin());

        var response = await admin.GetAsync($"/api/admin/products/{ProductId.New()}/stock?limit=500&after={new string('x', 100)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private IStockApi Api() => StockApiClient.Create(inventory.Cluster.CreateClient(TestTokens.Admin()));

    private static async Task<(List<StockReservationResponse> Seen, List<StockResponse> Pages)> WalkAsync(
        IStockApi api, string id, int? limit, string? after = null)
    {
        var seen = new List<StockReservationResponse>();
        var pages = new List<StockResponse>();
        do
        {
            var page = await api.GetStockAsync(id, after, limit);
            Assert.True(pages.Count < 1_000, "the walk does not end");
            Assert.True(page.Next is null || page.Next == page.Reservations[^1].OrderId, "next is the last id of its page");
            pages.Add(page);
            seen.AddRange(page.Reservations);
            after = page.Next;
        }
        while (after is not null);

        return (seen, pages);
    }
}
