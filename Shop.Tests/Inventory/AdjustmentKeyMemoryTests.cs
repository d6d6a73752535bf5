using Shop.Grains.Inventory;

namespace Shop.Tests.Inventory;

/// <summary>Replaying a log written under other limits must never make a SKU unloadable (and so unsellable).</summary>
public sealed class AdjustmentKeyMemoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_key_applied_again_after_it_was_forgotten_elsewhere_is_remembered_as_its_newest_application()
    {
        var memory = new AdjustmentKeyMemory(TimeSpan.FromHours(24), capacity: 10);
        var first = Key("k1", 5, T0);
        var again = Key("k1", 7, T0.AddHours(1));

        memory.Remember(first);
        memory.Remember(again);

        Assert.True(memory.TryGet("admin-1", "k1", out var remembered));
        Assert.Same(again, remembered);
    }

    [Fact]
    public void Forgetting_the_older_application_keeps_the_newer_one()
    {
        var memory = new AdjustmentKeyMemory(TimeSpan.FromHours(24), capacity: 10);
        memory.Remember(Key("k1", 5, T0));
        var again = Key("k1", 7, T0.AddHours(20));
        memory.Remember(again);

        memory.Forget(T0.AddHours(25));

        Assert.True(memory.TryGet("admin-1", "k1", out var remembered));
        Assert.Same(again, remembered);
    }

    private static StoredAdjustmentKey Key(string key, long delta, DateTimeOffset at) => new("admin-1", key, delta, "restock", delta, 0, 0, at);
}
