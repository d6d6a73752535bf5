using System.Text;
using Shop.Client.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Tests.Catalog;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments;

/// <summary>
/// WeChat Pay limits the prepay description to 127 UTF-8 bytes and refuses more with PARAM_ERROR (the shopper would get
/// 502). A Chinese product name of the longest kind the catalog allows (50 characters, 150 bytes) still opens a payment.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class PrepayDescriptionTests(PaymentsCluster payments)
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task A_product_named_with_fifty_chinese_characters_is_paid_for_with_the_name_cut_to_127_bytes()
    {
        // 1 + 49 × 3 = 148 bytes: the cut lands exactly on 127 (the 'A' and 42 characters).
        var name = "A" + string.Concat(Enumerable.Repeat("西湖龙井明前特级", 7))[..49];
        var product = await ProductAsync(name);
        var token = await payments.LoginAsync("desc-" + Guid.NewGuid().ToString("N"));
        var order = await Cluster.Orders(token).CreateAsync(OrderTestSupport.Request((product, 1)));

        var payment = await Cluster.PrepayAsync(token, order.OrderNo);

        var description = payments.SimulatorLedger.OrderByPrepayId(payment.PrepayId())!.Description;
        Assert.Equal(127, Encoding.UTF8.GetByteCount(description));
        Assert.Equal(name[..43], description);
        await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        Assert.Equal("Paid", (await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid")).Status);
    }

    [Fact]
    public async Task With_more_lines_the_name_is_cut_and_the_count_kept()
    {
        var name = string.Concat(Enumerable.Repeat("云南普洱茶饼", 9))[..50];
        var first = await ProductAsync(name);
        var second = await ProductAsync("绿茶");
        var token = await payments.LoginAsync("desc-" + Guid.NewGuid().ToString("N"));
        var order = await Cluster.Orders(token).CreateAsync(OrderTestSupport.Request((first, 1), (second, 2)));

        var payment = await Cluster.PrepayAsync(token, order.OrderNo);

        var description = payments.SimulatorLedger.OrderByPrepayId(payment.PrepayId())!.Description;
        // " 等2件" is 8 bytes, which leaves 119 for the name: 39 characters.
        Assert.Equal(name[..39] + " 等2件", description);
        Assert.True(Encoding.UTF8.GetByteCount(description) <= 127);
    }

    private async Task<string> ProductAsync(string name)
    {
        var catalog = CatalogApiClient.Create(Cluster.CreateClient(TestTokens.Admin()));
        var product = await catalog.OnShelfAsync(CatalogSeed.Product(await catalog.CategoryAsync(), name: name));
        Assert.Equal(AdjustStatus.Adjusted, (await Cluster.Grains.GetGrain<IInventoryGrain>(product.Id).AdjustAsync(10, "seed", "tests")).Status);
        return product.Id;
    }
}
