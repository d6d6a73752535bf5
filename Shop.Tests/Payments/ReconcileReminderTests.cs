using Npgsql;
using Orleans.Core.Internal;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Payments;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments;

/// <summary>
/// Reconciliation queries run on a grain timer while the order's payment grain is active; its durable reminder is
/// written only when the grain deactivates with a query still to come (queries 3 s and 8 s after the prepay here).
/// So a purchase paid within minutes writes and deletes no reminder row, and a payment grain that goes idle first
/// still wakes up to find a payment whose notifications were lost.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class ReconcileReminderTests(PaymentsCluster payments)
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task A_prepay_and_its_notification_write_no_reminder_row()
    {
        var token = await payments.LoginAsync("no-reminder-" + Guid.NewGuid().ToString("N"));
        var (order, _) = await Cluster.OrderAsync(token, quantity: 1);

        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        Assert.Equal(0, await ReminderRowsAsync(order.OrderNo));

        await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");

        Assert.Equal(1, paid.Transitions("Pay"));
        Assert.Equal(0, await ReminderRowsAsync(order.OrderNo));
    }

    [Fact]
    public async Task A_payment_grain_that_goes_idle_before_its_query_wakes_by_reminder_and_finds_the_lost_payment()
    {
        var (token, order, productId) = await PaidAfterGoingIdleAsync("idle-lost-", quantity: 2, dropNotifications: true);

        // Nothing calls the grain: only its reminder can wake it to ask WeChat Pay.
        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");
        Assert.Equal(1, paid.Transitions("Pay"));
        Assert.Equal(2L, (await Cluster.StockAsync(productId)).Sold);
        await Poll.UntilAsync(() => ReminderRowsAsync(order.OrderNo), rows => rows == 0, what: "the reminder removed once paid");
    }

    [Fact]
    public async Task A_notification_to_a_grain_reactivated_after_going_idle_removes_its_reminder()
    {
        var (token, order, _) = await PaidAfterGoingIdleAsync("idle-notified-", quantity: 1, dropNotifications: false);

        var paid = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");
        Assert.Equal(1, paid.Transitions("Pay"));
        await Poll.UntilAsync(() => ReminderRowsAsync(order.OrderNo), rows => rows == 0, what: "the reminder removed by the notification");
    }

    /// <summary>Order, prepay, the payment grain deactivated (its reminder stored), then paid at WeChat Pay.</summary>
    private async Task<(string Token, OrderResponse Order, string ProductId)> PaidAfterGoingIdleAsync(string user, int quantity, bool dropNotifications)
    {
        var token = await payments.LoginAsync(user + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        if (dropNotifications)
        {
            await payments.Controls.ArmAsync(order.OrderNo, "drop", new { count = 100 });
        }

        await Cluster.Grains.GetGrain<IOrderPaymentGrain>(order.OrderNo).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Poll.UntilAsync(() => ReminderRowsAsync(order.OrderNo), rows => rows == 1, what: "the reminder written on deactivation");
        await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        return (token, order, productId);
    }

    private async Task<long> ReminderRowsAsync(string orderNo)
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'wechatpay-reconcile' AND GrainId LIKE '%' || $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = orderNo });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
