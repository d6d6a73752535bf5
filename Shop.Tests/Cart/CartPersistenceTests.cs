using Shop.Tests.Infrastructure;

namespace Shop.Tests.Cart;

/// <summary>The cart lives in PostgreSQL: a new cluster on the same database (every activation gone) reads it back.</summary>
public sealed class CartPersistenceTests
{
    [Fact]
    public async Task A_cart_survives_a_restart_of_the_whole_cluster()
    {
        var before = await ShopTestCluster.StartAsync();
        var connectionString = before.ConnectionString!;
        var shopper = new Shopper(before);
        var tea = await before.SkuAsync(stock: 10, price: 12_800);
        var cup = await before.SkuAsync(stock: 3, price: 2_500);
        await shopper.SetAsync(tea.Id, 2);
        var saved = await shopper.SetAsync(cup.Id, 3);
        await before.DisposeAsync();

        await using var after = await ShopTestCluster.StartAsync(connectionString: connectionString);
        var token = shopper.Token;
        var cart = Orders.Flow.OrderTestSupport.Ok(await Shop.Client.Cart.CartApiClient.Create(after.CreateClient(token)).GetCartAsync());

        Assert.Equal(saved.Lines.Select(l => (l.SkuId, l.Quantity, l.AddedAt)), cart.Lines.Select(l => (l.SkuId, l.Quantity, l.AddedAt)));
        Assert.Equal(2 * 12_800 + 3 * 2_500, cart.TotalFen);
    }
}
