using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Shop.Grains.Orders;
using Shop.Grains.Payments.WeChatPay;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Clustering;

/// <summary>
/// A silo stopping gracefully hands its active grains over with their state (Orleans dehydrates it with its own
/// serializer): order and payment states, stored as JSON, must have a codec, or every active order logs an error and is
/// dropped from memory on each rolling restart.
/// </summary>
public sealed class GrainStateHandoverTests
{
    [Fact]
    public async Task Order_and_payment_states_survive_the_silos_serializer_with_every_field()
    {
        await using var cluster = await ShopTestCluster.StartAsync(withApi: false);
        var serializer = cluster.Silos[0].App.Services.GetRequiredService<Serializer>();
        var order = new OrderState
        {
            OrderNo = "2026120612345678901234567890",
            UserId = "wx:o-test",
            Phase = OrderPhase.Active,
            Lines = [new Shop.Grains.Interfaces.Orders.OrderLine("p_x", "Longjing", 12_800, 2, "p_x")],
            Holds = [new StockHold("p_x", 2, "2026120612345678901234567890")],
            Stock = StockPhase.Held,
            TotalFen = 25_600,
            CreatedAt = DateTimeOffset.UnixEpoch,
            ExpiresAt = DateTimeOffset.UnixEpoch.AddMinutes(30),
            DueAt = DateTimeOffset.UnixEpoch.AddMinutes(30),
        };
        var payment = new OrderPaymentState { PrepayId = "wx2026", PayerOpenId = "o-test", ReconcileRuns = 2 };

        var orderCopy = serializer.Deserialize<OrderState>(serializer.SerializeToArray(order))!;
        var paymentCopy = serializer.Deserialize<OrderPaymentState>(serializer.SerializeToArray(payment))!;

        Assert.Equal(OrderStateJson.ToRow(order).StateJson, OrderStateJson.ToRow(orderCopy).StateJson);
        Assert.Equal(payment, paymentCopy with { AutomaticRefunds = payment.AutomaticRefunds });
    }
}
