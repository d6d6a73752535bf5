using System.Collections.Immutable;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Cart;

/// <summary>Stored state of a <see cref="CartGrain"/>. Replaced, never mutated: storage serializes it off the grain's thread.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Cart.CartState")]
public sealed record CartState
{
    /// <summary>In the order they were first added.</summary>
    [Id(0)]
    public ImmutableList<CartLine> Lines { get; init; } = [];

    /// <summary>Recent successful checkouts, newest last: their keys replay the stored answer once the lines are gone.</summary>
    [Id(1)]
    public ImmutableList<CartCheckoutRecord> Checkouts { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("Shop.Cart.CartLine")]
public sealed record CartLine(
    [property: Id(0)] string SkuId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] DateTimeOffset AddedAt);

/// <summary>A checkout that ordered: its scoped key, when, and the lines it ordered (what a retry re-sends).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Cart.CartCheckoutRecord")]
public sealed record CartCheckoutRecord(
    [property: Id(0)] string Key,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] ImmutableList<OrderItem> Items);
