using System.Net;
using Shop.Client;
using Shop.Client.Payments;
using Shop.Tests.Api;
using Shop.Tests.Infrastructure;
using Shop.Tests.Orders.Flow;
using Shop.WeChatPay.Simulator.Controls;

namespace Shop.Tests.Payments;

/// <summary>Three writes per caller per five minutes: what is left of an anonymous IP's budget after one WeChat login is two.</summary>
public sealed class TinyWriteBudgetPaymentsCluster : PaymentsCluster
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["RateLimiting:Writes:PermitLimit"] = "3",
        ["RateLimiting:Writes:WindowSeconds"] = "300",
    };
}

public sealed class NotifyRateLimitTests(TinyWriteBudgetPaymentsCluster payments) : IClassFixture<TinyWriteBudgetPaymentsCluster>
{
    [Fact]
    public async Task Payment_notifications_are_never_rate_limited_while_the_same_callers_other_writes_are()
    {
        var cluster = payments.Cluster;
        var token = await payments.LoginAsync("limits-" + Guid.NewGuid().ToString("N"));
        var (order, _) = await cluster.OrderAsync(token, quantity: 1);
        var payment = await cluster.PrepayAsync(token, order.OrderNo);

        // Ten deliveries at once from the one "WeChat Pay" address (anonymous, like every notification): far over its budget.
        await payments.Controls.ArmAsync(order.OrderNo, "duplicate", new { count = 9, concurrent = true });
        await payments.Controls.PayAsync(new PayCommand(PrepayId: payment.PrepayId()));
        var deliveries = await Poll.UntilAsync(() => payments.Controls.NotificationsAsync(order.OrderNo),
            v => v.Notifications.Count >= 10 && v.Notifications.All(n => n.Attempts.Count > 0), what: "ten first attempts");

        Assert.Equal(10, deliveries.Notifications.Count);
        Assert.All(deliveries.Notifications, n => Assert.Equal(204, n.Attempts[0].Status));
        Assert.Equal("Paid", (await cluster.WaitForStatusAsync(token, order.OrderNo, "Paid")).Status);

        // The limiter is on for that address: its other writes are refused once the budget is gone.
        var anonymous = cluster.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var login = await anonymous.PostAsync("/api/auth/wechat/login",
                new StringContent("{\"code\":\"limits-again\"}", System.Text.Encoding.UTF8, "application/json"));
            answers.Add(login.StatusCode);
            if (login.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await Problems.AssertAsync(login, HttpStatusCode.TooManyRequests, ShopErrorCodes.RateLimited);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
    }
}
