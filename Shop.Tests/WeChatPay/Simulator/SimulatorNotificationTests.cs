using System.Net;
using Shop.Tests.WeChatPay.Simulator.Support;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Notifications;

namespace Shop.Tests.WeChatPay.Simulator;

/// <summary>Notification delivery: retries until a 2xx, and the drop / duplicate / delay / replay controls.</summary>
public sealed class SimulatorNotificationTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task A_failing_receiver_is_retried_until_it_answers_2xx_each_attempt_signed_afresh()
    {
        var outTradeNo = await UnpaidOrderAsync("RETRY");
        sim.Receiver.AnswerNext(outTradeNo, 500, 500);

        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        var log = await sim.Controls.WaitUntilSettledAsync(outTradeNo);

        var delivery = Assert.Single(log.Notifications);
        Assert.Equal(DeliveryState.Delivered, delivery.State);
        Assert.Equal([500, 500, 204], delivery.Attempts.Select(a => a.Status ?? 0));
        Assert.Equal([1, 2, 3], delivery.Attempts.Select(a => a.Number));
        Assert.Contains("scripted failure", delivery.Attempts[0].Answer);
        var received = sim.Receiver.For(outTradeNo);
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.True(r.Result.IsValid));
        Assert.Single(received.Select(r => r.NotificationId).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());
    }

    [Fact]
    public async Task Dropped_attempts_never_reach_the_receiver_and_are_retried()
    {
        var outTradeNo = await UnpaidOrderAsync("DROP");
        Assert.Equal(HttpStatusCode.NoContent, (await sim.Controls.ArmAsync(outTradeNo, "drop", new DropCommand(2))).Status);

        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        var delivery = Assert.Single((await sim.Controls.WaitUntilSettledAsync(outTradeNo)).Notifications);

        Assert.Equal([true, true, false], delivery.Attempts.Select(a => a.Dropped));
        Assert.Equal(204, delivery.Attempts[2].Status);
        Assert.Single(sim.Receiver.For(outTradeNo));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_duplicated_notification_arrives_several_times_with_the_same_id(bool concurrent)
    {
        var outTradeNo = await UnpaidOrderAsync("DUP");
        sim.Receiver.Hold(outTradeNo, TimeSpan.FromMilliseconds(300));
        await sim.Controls.ArmAsync(outTradeNo, "duplicate", new DuplicateCommand(3, concurrent));

        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        var log = await sim.Controls.WaitUntilSettledAsync(outTradeNo, notifications: 4);

        Assert.Equal(["original", "duplicate", "duplicate", "duplicate"], log.Notifications.Select(n => n.Origin));
        var received = sim.Receiver.For(outTradeNo);
        Assert.Equal(4, received.Count);
        Assert.Single(received.Select(r => r.NotificationId).Distinct());
        Assert.All(received, r => Assert.True(r.Result.IsValid));
        if (concurrent)
        {
            Assert.True(sim.Receiver.MaxConcurrent(outTradeNo) > 1, "concurrent duplicates should overlap at the receiver");
        }
        else
        {
            Assert.Equal(1, sim.Receiver.MaxConcurrent(outTradeNo));
        }
    }

    [Fact]
    public async Task A_delayed_notification_waits_before_its_first_attempt()
    {
        var outTradeNo = await UnpaidOrderAsync("DELAY");
        await sim.Controls.ArmAsync(outTradeNo, "delay", new DelayCommand(60_000));

        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        var waiting = Assert.Single((await sim.Controls.NotificationsAsync(outTradeNo)).Notifications);

        Assert.Equal(DeliveryState.Pending, waiting.State);
        Assert.Empty(waiting.Attempts);
        Assert.True(waiting.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(50));
        Assert.Empty(sim.Receiver.For(outTradeNo));
    }

    [Fact]
    public async Task Replay_sends_the_last_notification_again_with_the_same_id()
    {
        var outTradeNo = await UnpaidOrderAsync("REPLAY");
        var before = await sim.Controls.ArmAsync(outTradeNo, "replay", new ReplayCommand());
        await sim.Controls.PayAsync(new PayCommand(OutTradeNo: outTradeNo));
        await sim.Controls.WaitUntilSettledAsync(outTradeNo);

        Assert.Equal(HttpStatusCode.NoContent, (await sim.Controls.ArmAsync(outTradeNo, "replay", new ReplayCommand(2, Concurrent: true))).Status);
        var received = await sim.Receiver.WaitForAsync(outTradeNo, 3);

        Assert.Equal((HttpStatusCode.Conflict, "NO_NOTIFICATION"), before);
        Assert.Single(received.Select(r => r.NotificationId).Distinct());
        Assert.Equal(["original", "replay", "replay"], (await sim.Controls.WaitUntilSettledAsync(outTradeNo, 3)).Notifications.Select(n => n.Origin));
    }

    [Fact]
    public async Task Controls_for_unknown_orders_or_bad_counts_are_refused()
    {
        var outTradeNo = await UnpaidOrderAsync("CTRL");

        Assert.Equal((HttpStatusCode.NotFound, "ORDER_NOT_FOUND"), await sim.Controls.ArmAsync("NO-SUCH-ORDER", "drop", new DropCommand(1)));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_CONTROL"), await sim.Controls.ArmAsync(outTradeNo, "drop", new DropCommand(0)));
        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_CONTROL"), await sim.Controls.PostAsync("/simulator/pay", new PayCommand()));
    }

    private async Task<string> UnpaidOrderAsync(string prefix)
    {
        var outTradeNo = SimulatorControls.NewOrderNo(prefix);
        await sim.Shop.Api.JsapiPrepayAsync(sim.Shop.Prepay(outTradeNo));
        return outTradeNo;
    }
}
