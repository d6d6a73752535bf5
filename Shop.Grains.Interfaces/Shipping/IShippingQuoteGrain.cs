using Orleans.Concurrency;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.Shipping;

/// <summary>
/// Quotes goods, shipping fee and total for lines and an address before ordering, with the order's own rules (the same
/// catalog lookup and the same templates), so a quote equals the order's total. A stateless worker: call it with id 0.
/// </summary>
[Alias("Shop.Shipping.IShippingQuoteGrain")]
public interface IShippingQuoteGrain : IGrainWithIntegerKey
{
    [ReadOnly, Alias("Quote")]
    Task<QuoteOutcome> QuoteAsync(IReadOnlyList<OrderItem> items, string districtCode);
}

/// <summary>The quote, or the lines that are not for sale (<see cref="Unavailable"/>, SKU ids).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.QuoteOutcome")]
public sealed record QuoteOutcome(
    [property: Id(0)] ShippingQuote? Quote,
    [property: Id(1)] IReadOnlyList<string> Unavailable);
