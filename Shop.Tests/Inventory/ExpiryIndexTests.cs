using Shop.Grains.Inventory;

namespace Shop.Tests.Inventory;

public sealed class ExpiryIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, StoredReservation> _live = new(StringComparer.Ordinal);
    private readonly ExpiryIndex _index = new();

    private void Reserve(string id, int minutes)
    {
        var at = T0.AddMinutes(minutes);
        _live.Add(id, new StoredReservation(id, 1, at));
        _index.Add(at, id);
    }

    private void Finish(string id)
    {
        _live.Remove(id, out var reservation);
        _index.Remove(reservation!.ExpiresAt, id, _live);
    }

    [Fact]
    public void Due_reservations_come_by_expiry_whatever_order_they_arrived_in_and_ended_ones_never()
    {
        Reserve("c", 30);
        Reserve("d", 30);
        Reserve("a", 10);   // before the newest: the sorted side
        Reserve("e", 45);
        Reserve("b", 20);
        Finish("d");

        Assert.Equal(T0.AddMinutes(10), _index.Next(_live));
        Assert.Equal(["a", "b", "c"], _index.DueAt(T0.AddMinutes(30), _live));
        Assert.Equal(["a", "b", "c", "e"], _index.All(_live).Select(e => e.OrderId));

        Finish("a");
        Finish("b");
        Finish("c");
        Assert.Equal(T0.AddMinutes(45), _index.Next(_live));
        Assert.Empty(_index.DueAt(T0.AddMinutes(44), _live));
        Finish("e");
        Assert.Null(_index.Next(_live));
    }

    [Fact]
    public void Ended_reservations_behind_a_live_head_do_not_pile_up()
    {
        Reserve("oldest", 0);
        for (var i = 0; i < 10_000; i++)
        {
            Reserve($"r{i:D5}", 1 + i / 100);
            Finish($"r{i:D5}");
        }

        // The head still holds: the ended ones behind it are dropped by rebuilding, not kept until their time.
        Assert.True(_index.Queued <= 2 * _live.Count + 1024 + 1, $"{_index.Queued} queued for {_live.Count} live");
        Assert.Equal(["oldest"], _index.DueAt(T0.AddDays(1), _live));
        Assert.Equal(T0, _index.Next(_live));
    }

    [Fact]
    public void An_order_that_reserves_again_after_being_forgotten_is_due_once()
    {
        Reserve("x", 5);
        Finish("x");
        Reserve("x", 5);

        Assert.Equal(["x"], _index.DueAt(T0.AddMinutes(5), _live));
        Assert.Single(_index.All(_live));
    }
}
