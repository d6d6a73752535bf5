using System.Collections.Immutable;
using Shop.Grains.Interfaces.Cart;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Cart;

/// <summary>
/// One customer's cart (key: the user's <c>sub</c>), stored in the default grain storage. Prices, names and stock are
/// never stored here: the view asks each SKU's product grain, so a price change shows at once. Not reentrant: a
/// checkout and the edits around it run one at a time, which is what lets concurrent checkouts of one cart order its
/// lines once.
/// </summary>
public sealed partial class CartGrain(
    [PersistentState("cart")] IPersistentState<CartState> state,
    TimeProvider clock) : Grain, ICartGrain
{
    private string UserId => this.GetPrimaryKeyString();

    public async Task<CartOutcome> SetQuantityAsync(string skuId, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, CartLimits.MinQuantity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, CartLimits.MaxQuantity);
        if (!SkuId.IsValid(skuId))
        {
            throw new ArgumentException("Not a SKU id.", nameof(skuId));
        }

        var lines = state.State.Lines;
        var index = lines.FindIndex(l => l.SkuId == skuId);
        if (index < 0 && lines.Count >= CartLimits.MaxLines)
        {
            return new CartOutcome(CartOutcomeStatus.TooManyLines);
        }

        // Only what a shopper could buy now goes in; stock is not checked (the cart shows it, checkout enforces it).
        if (await Sku(skuId).GetSkuAsync(skuId) is not { OnSale: true })
        {
            return new CartOutcome(CartOutcomeStatus.SkuUnavailable);
        }

        var next = index < 0
            ? lines.Add(new CartLine(skuId, quantity, clock.GetUtcNow()))
            : lines.SetItem(index, lines[index] with { Quantity = quantity });
        await SaveAsync(state.State with { Lines = next });
        return new CartOutcome(CartOutcomeStatus.Ok, await ViewAsync());
    }

    public async Task<CartOutcome> RemoveAsync(string skuId)
    {
        var lines = state.State.Lines;
        var next = lines.RemoveAll(l => l.SkuId == skuId);
        if (next.Count != lines.Count)
        {
            await SaveAsync(state.State with { Lines = next });
        }

        return new CartOutcome(CartOutcomeStatus.Ok, await ViewAsync());
    }

    public async Task ClearAsync()
    {
        if (state.State.Lines.Count > 0)
        {
            await SaveAsync(state.State with { Lines = [] });
        }
    }

    public Task<CartView> GetAsync() => ViewAsync();

    public async Task<CartCheckout> CheckoutAsync(string idempotencyKey, string requestHash, ShippingAddress shipping, string? remark, string? traceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(shipping);
        var now = clock.GetUtcNow();
        var known = state.State.Checkouts.FirstOrDefault(c => c.Key == idempotencyKey && c.At > now - IdempotencyKeys.Retention);
        if (known is null && state.State.Lines.Count == 0)
        {
            return CartCheckout.Empty;
        }

        // A known key re-sends the lines it ordered: the stored answer is replayed (or, for a different body, refused)
        // whatever the cart holds now, and an order interrupted before its answer was stored is finished with its own lines.
        var items = known?.Items ?? [.. state.State.Lines.Select(l => new OrderItem(l.SkuId, l.Quantity))];
        var created = await GrainFactory.GetGrain<IOrderCreationGrain>(0).CreateOrderAsync(
            idempotencyKey, requestHash, new CreateOrderCommand(UserId, items, shipping, remark), traceId);
        if (known is null && created.Answer?.Outcome is { Status: OrderOutcomeStatus.Ok, Order: { } order })
        {
            await SaveAsync(AfterCheckout(order, idempotencyKey, items, now));
        }

        return new CartCheckout(CartCheckoutStatus.Ordered, created);
    }

    /// <summary>
    /// The ordered lines leave the cart (only at the quantity ordered: the key may be replayed after the shopper changed
    /// the cart, and a line changed since stays); the key is remembered for replays, the oldest forgotten past the limit.
    /// </summary>
    private CartState AfterCheckout(OrderView order, string key, ImmutableList<OrderItem> items, DateTimeOffset now)
    {
        var ordered = order.Lines.ToDictionary(l => l.Sku, l => l.Quantity, StringComparer.Ordinal);
        var lines = state.State.Lines.RemoveAll(l => ordered.TryGetValue(l.SkuId, out var quantity) && quantity == l.Quantity);
        var checkouts = state.State.Checkouts
            .RemoveAll(c => c.At <= now - IdempotencyKeys.Retention)
            .Add(new CartCheckoutRecord(key, now, items));
        if (checkouts.Count > CartLimits.RememberedCheckouts)
        {
            checkouts = checkouts.RemoveRange(0, checkouts.Count - CartLimits.RememberedCheckouts);
        }

        return new CartState { Lines = lines, Checkouts = checkouts };
    }

    /// <summary>Memory keeps what storage holds: a failed write is rolled back here, so the caller's retry starts from the truth.</summary>
    private async Task SaveAsync(CartState next)
    {
        var before = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            throw;
        }
    }

    private async Task<CartView> ViewAsync()
    {
        var lines = await Task.WhenAll(state.State.Lines.Select(LineViewAsync));
        return new CartView(lines, lines.Where(l => l.Purchasable).Sum(l => l.SubtotalFen!.Value));
    }

    private async Task<CartLineView> LineViewAsync(CartLine line)
    {
        // Off the shelf (still named and priced) or gone (deleted since it was added): no stock to show.
        if (await Sku(line.SkuId).GetSkuAsync(line.SkuId) is not { } sku)
        {
            return new CartLineView(line.SkuId, line.Quantity, line.AddedAt, null, null, false, 0);
        }

        var available = sku.OnSale ? (await GrainFactory.GetGrain<IInventoryGrain>(line.SkuId).GetLevelsAsync()).Available : 0;
        return new CartLineView(line.SkuId, line.Quantity, line.AddedAt, sku.Name, sku.PriceFen, sku.OnSale, available, sku.ProductId, sku.Spec);
    }

    /// <summary>The product grain that knows this SKU (read off its id: no lookup).</summary>
    private IProductGrain Sku(string skuId) => GrainFactory.GetGrain<IProductGrain>(SkuId.ProductOf(skuId));
}
