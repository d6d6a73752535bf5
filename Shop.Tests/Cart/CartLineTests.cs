using System.Net;
using Shop.Client;
using Shop.Client.Cart;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Catalog;
using Shop.Tests.Catalog;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using static Shop.Tests.Orders.Flow.OrderTestSupport;

namespace Shop.Tests.Cart;

/// <summary>Cart lines through HTTP → cart grain → PostgreSQL: edits, the live view of prices and stock, and the limits.</summary>
[Collection(CartCollection.Name)]
public sealed class CartLineTests(OrderClusterFixture fixture)
{
    private ShopTestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Lines_are_added_updated_removed_and_listed_with_current_prices_and_stock()
    {
        var tea = await Cluster.SkuAsync(stock: 10, price: 12_800);
        var cup = await Cluster.SkuAsync(stock: 3, price: 2_500);
        var shopper = new Shopper(Cluster);

        await shopper.SetAsync(tea.Id, 2);
        await shopper.SetAsync(cup.Id, 1);
        var addedAt = (await shopper.GetAsync()).Lines[0].AddedAt;
        var cart = await shopper.SetAsync(tea.Id, 4);

        Assert.Equal([(tea.Id, 4), (cup.Id, 1)], cart.Lines.Select(l => (l.SkuId, l.Quantity)));
        var teaLine = cart.Lines[0];
        Assert.Equal((tea.Request.Name, 12_800L, 51_200L, 10L, true, true), (teaLine.Name, teaLine.UnitPriceFen, teaLine.SubtotalFen, teaLine.Available, teaLine.OnShelf, teaLine.Purchasable));
        Assert.Equal(addedAt, teaLine.AddedAt);
        Assert.Equal(51_200 + 2_500, cart.TotalFen);

        // The merchant raises the price: the cart shows the new one at once (it stores no prices).
        CatalogAssert.Ok(await Cluster.Admin().UpdateProductAsync(tea.Id, tea.Request with { PriceFen = 13_000 }));
        cart = await shopper.GetAsync();
        Assert.Equal((13_000L, 52_000L), (cart.Lines[0].UnitPriceFen, cart.Lines[0].SubtotalFen));
        Assert.Equal(52_000 + 2_500, cart.TotalFen);

        // More than is in stock, or off the shelf: still listed, but not purchasable and not in the total.
        cart = await shopper.SetAsync(cup.Id, 5);
        Assert.Equal((3L, false), (cart.Lines[1].Available, cart.Lines[1].Purchasable));
        Assert.Equal(52_000, cart.TotalFen);
        CatalogAssert.Ok(await Cluster.Admin().SetProductStatusAsync(tea.Id, new ProductStatusRequest(ProductStatuses.OffShelf)));
        cart = await shopper.GetAsync();
        Assert.Equal((tea.Request.Name, false, false, 0L), (cart.Lines[0].Name, cart.Lines[0].OnShelf, cart.Lines[0].Purchasable, cart.Lines[0].Available));
        Assert.Equal(0, cart.TotalFen);

        cart = Ok(await shopper.Cart.RemoveItemAsync(tea.Id));
        Assert.Equal([cup.Id], cart.Lines.Select(l => l.SkuId));
        Assert.Equal([cup.Id], (await shopper.GetAsync()).Lines.Select(l => l.SkuId));
        Assert.Equal(HttpStatusCode.NoContent, (await shopper.Cart.ClearAsync()).StatusCode);
        Assert.Empty((await shopper.GetAsync()).Lines);

        // A cart never reserves stock.
        Assert.Equal(0L, (await Cluster.StockAsync(cup.Id)).Reserved);
        Assert.Equal(0L, (await Cluster.StockAsync(tea.Id)).Reserved);
    }

    [Fact]
    public async Task Each_customer_has_their_own_cart()
    {
        var sku = await Cluster.SkuAsync(stock: 5, price: 100);
        var alice = new Shopper(Cluster);
        var bob = new Shopper(Cluster);

        await alice.SetAsync(sku.Id, 2);

        Assert.Single((await alice.GetAsync()).Lines);
        Assert.Empty((await bob.GetAsync()).Lines);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CartApiClient.Create(Cluster.CreateClient()).GetCartAsync()).StatusCode);
    }

    [Fact]
    public async Task Limits_answer_clear_problems_and_leave_the_cart_as_it_was()
    {
        var sku = await Cluster.SkuAsync(stock: 5, price: 100);
        var shopper = new Shopper(Cluster);
        await shopper.SetAsync(sku.Id, 1);

        foreach (var quantity in new int?[] { 0, -1, 1_000, null })
        {
            var problem = Problem(await shopper.Cart.SetItemAsync(sku.Id, new SetCartItemRequest(quantity)), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed);
            Assert.Contains("quantity", problem.Errors.Keys);
        }

        Assert.Contains("skuId", Problem(await shopper.Cart.SetItemAsync("not-a-sku", new SetCartItemRequest(1)), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors.Keys);
        Assert.Contains("skuId", Problem(await shopper.Cart.RemoveItemAsync("p_short"), HttpStatusCode.BadRequest, ShopErrorCodes.ValidationFailed).Errors.Keys);
        Problem(await shopper.Cart.SetItemAsync(ProductId.New(), new SetCartItemRequest(1)), HttpStatusCode.Conflict, ShopErrorCodes.ProductUnavailable);
        var offShelf = await Cluster.SkuAsync(stock: 5, price: 100);
        CatalogAssert.Ok(await Cluster.Admin().SetProductStatusAsync(offShelf.Id, new ProductStatusRequest(ProductStatuses.OffShelf)));
        Problem(await shopper.Cart.SetItemAsync(offShelf.Id, new SetCartItemRequest(1)), HttpStatusCode.Conflict, ShopErrorCodes.ProductUnavailable);

        Assert.Equal([(sku.Id, 1)], (await shopper.GetAsync()).Lines.Select(l => (l.SkuId, l.Quantity)));
        Assert.Equal(999, (await shopper.SetAsync(sku.Id, 999)).Lines.Single().Quantity);
    }

    [Fact]
    public async Task A_cart_holds_at_most_fifty_skus_and_a_line_already_in_it_can_still_change()
    {
        var shopper = new Shopper(Cluster);
        var skus = new List<string>();
        for (var i = 0; i < SetCartItemRequest.MaxLines + 1; i++)
        {
            skus.Add((await Cluster.SkuAsync(stock: 0, price: 100 + i)).Id);
        }

        foreach (var sku in skus.Take(SetCartItemRequest.MaxLines))
        {
            await shopper.SetAsync(sku, 1);
        }

        Problem(await shopper.Cart.SetItemAsync(skus[^1], new SetCartItemRequest(1)), HttpStatusCode.Conflict, CartErrorCodes.CartFull);
        var cart = await shopper.SetAsync(skus[0], 7);
        Assert.Equal(SetCartItemRequest.MaxLines, cart.Lines.Count);
        Assert.Equal(7, cart.Lines[0].Quantity);
        Assert.All(cart.Lines, l => Assert.False(l.Purchasable));
    }
}
