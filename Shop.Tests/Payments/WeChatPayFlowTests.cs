using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments;

/// <summary>End to end through HTTP: WeChat login, order, JSAPI prepay, payment at the simulator, notification or reconciliation.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class WeChatPayFlowTests(PaymentsCluster payments)
{
    private ShopTestCluster Cluster => payments.Cluster;

    [Fact]
    public async Task Login_order_prepay_pay_and_the_notification_make_the_order_paid_and_the_stock_sold()
    {
        var token = await payments.LoginAsync("flow-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 2);

        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        Assert.Equal(payments.Merchant.AppId, payment.AppId);
        Assert.Equal("RSA", payment.SignType);
        Assert.StartsWith("prepay_id=", payment.Package);
        Assert.True(payment.PaySignVerifies(payments.Merchant.CertificatePath));
        var again = await Cluster.PrepayAsync(token, order.OrderNo);
        Assert.Equal(payment.Package, again.Package);

        var paid = await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var done = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");

        Assert.Equal(1, done.Transitions("Pay"));
        Assert.Contains(paid.TransactionId!, done.History.Single(h => h.Trigger == "Pay").Reason);
        var stock = await Cluster.StockAsync(productId);
        Assert.Equal((2L, 0L, 8L), (stock.Sold, stock.Reserved, stock.Available));
        await payments.Controls.WaitUntilSettledAsync(order.OrderNo);
        Assert.Equal(409, (int)(await Cluster.Payments(token).PayWithWeChatAsync(order.OrderNo)).StatusCode!.Value);
    }

    [Fact]
    public async Task A_notification_delivered_ten_times_at_once_pays_the_order_once()
    {
        var token = await payments.LoginAsync("dup-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 1);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await payments.Controls.ArmAsync(order.OrderNo, "duplicate", new { count = 9, concurrent = true });

        await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var deliveries = await payments.Controls.WaitUntilSettledAsync(order.OrderNo, notifications: 10);

        Assert.True(deliveries.Notifications.Count >= 10);
        var done = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");
        Assert.Equal(1, done.Transitions("Pay"));
        Assert.Equal(1L, (await Cluster.StockAsync(productId)).Sold);
    }

    [Fact]
    public async Task A_payment_whose_notifications_are_all_lost_is_found_by_reconciliation()
    {
        var token = await payments.LoginAsync("lost-" + Guid.NewGuid().ToString("N"));
        var (order, productId) = await Cluster.OrderAsync(token, quantity: 3);
        var payment = await Cluster.PrepayAsync(token, order.OrderNo);
        await payments.Controls.ArmAsync(order.OrderNo, "drop", new { count = 100 });

        await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var done = await Cluster.WaitForStatusAsync(token, order.OrderNo, "Paid");

        Assert.Equal(1, done.Transitions("Pay"));
        Assert.Equal(3L, (await Cluster.StockAsync(productId)).Sold);
    }

    [Fact]
    public async Task The_same_code_signs_in_the_same_wechat_user_and_a_bad_code_is_refused()
    {
        var code = "same-" + Guid.NewGuid().ToString("N");
        var first = await payments.LoginAsync(code);
        var second = await payments.LoginAsync(code);
        var me = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(first);
        Assert.Equal(me.Subject, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(second).Subject);
        Assert.StartsWith("wx:o", me.Subject);
        Assert.Equal(me.Subject[3..], me.GetClaim("openid").Value);
        Assert.Equal("customer", me.GetClaim("role").Value);

        OrderTestSupport.Problem(await payments.Anonymous.WeChatLoginAsync(new(("invalid-" + code))), System.Net.HttpStatusCode.BadRequest, "WECHAT_CODE_INVALID");
        OrderTestSupport.Problem(await payments.Anonymous.WeChatLoginAsync(new("")), System.Net.HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    [Fact]
    public async Task Only_the_owner_signed_in_with_wechat_can_pay()
    {
        var token = await payments.LoginAsync("owner-" + Guid.NewGuid().ToString("N"));
        var (order, _) = await Cluster.OrderAsync(token, quantity: 1);
        var stranger = await payments.LoginAsync("stranger-" + Guid.NewGuid().ToString("N"));

        OrderTestSupport.Problem(await Cluster.Payments(stranger).PayWithWeChatAsync(order.OrderNo), System.Net.HttpStatusCode.NotFound, "ORDER_NOT_FOUND");
        OrderTestSupport.Problem(await Cluster.Payments(TestTokens.Customer("plain-user")).PayWithWeChatAsync(order.OrderNo),
            System.Net.HttpStatusCode.Forbidden, "WECHAT_OPENID_REQUIRED");
        Assert.Equal(401, (int)(await payments.Anonymous.PayWithWeChatAsync(order.OrderNo)).StatusCode!.Value);
    }
}
