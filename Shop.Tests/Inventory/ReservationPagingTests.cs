using Shop.Grains.Inventory;

namespace Shop.Tests.Inventory;

/// <summary>The ledger's keyset pages of live reservations: every live id once, in ordinal order, whatever the page size.</summary>
public sealed class ReservationPagingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(500)]
    public void Pages_walk_every_live_reservation_once_in_ordinal_order(int limit)
    {
        var ledger = new InventoryLedger(new InventoryOptions());
        var at = DateTimeOffset.UtcNow;
        ledger.Apply(new StockAdjusted(10_000, "stock", "test", at));
        var ids = Enumerable.Range(0, 1_200).Select(_ => Guid.NewGuid().ToString("N")[..12]).Distinct().ToList();
        foreach (var id in ids)
        {
            ledger.Apply(new StockReserved(id, 1, at.AddHours(1), at));
        }

        // Ended reservations leave the pages.
        foreach (var id in ids.Where((_, i) => i % 3 == 0))
        {
            ledger.Apply(new ReservationReleased(id, Shop.Grains.Interfaces.Inventory.ReleaseReason.Cancelled, at));
        }

        var live = ids.Where((_, i) => i % 3 != 0).Order(StringComparer.Ordinal).ToList();
        var walked = new List<string>();
        string? after = null;
        for (var pages = 0; pages <= live.Count; pages++)
        {
            var page = ledger.ReservationsAfter(after, limit, out var next);
            walked.AddRange(page.Select(r => r.OrderId));
            Assert.True(page.Count == limit || next is null);
            if (next is null)
            {
                break;
            }

            Assert.Equal(page[^1].OrderId, next);
            after = next;
        }

        Assert.Equal(live, walked);
        Assert.Empty(ledger.ReservationsAfter(live[^1], limit, out var end));
        Assert.Null(end);
    }
}
