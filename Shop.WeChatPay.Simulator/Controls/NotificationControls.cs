using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Simulator.Notifications;
using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.Controls;

/// <summary>Shape an order's notification traffic (drop, duplicate, delay, replay) and list every delivery attempt.</summary>
internal static class NotificationControls
{
    private const int MaxCount = 100;

    public static RouteGroupBuilder MapNotificationControls(this RouteGroupBuilder controls)
    {
        var order = controls.MapGroup("/orders/{outTradeNo}/notifications");
        order.MapGet("", List);
        order.MapPost("/drop", (string outTradeNo, string? mchid, DropCommand c, SimulatorLedger l, NotificationOutbox o) =>
            Arm(outTradeNo, mchid, l, o, c.Count is >= 1 and <= MaxCount, "count must be 1-100", x => x.DropNext += c.Count));
        order.MapPost("/duplicate", (string outTradeNo, string? mchid, DuplicateCommand c, SimulatorLedger l, NotificationOutbox o) =>
            Arm(outTradeNo, mchid, l, o, c.Count is >= 1 and <= MaxCount, "count must be 1-100", x =>
            {
                x.Duplicates = c.Count;
                x.ConcurrentDuplicates = c.Concurrent;
            }));
        order.MapPost("/delay", (string outTradeNo, string? mchid, DelayCommand c, SimulatorLedger l, NotificationOutbox o) =>
            Arm(outTradeNo, mchid, l, o, c.Milliseconds is >= 0 and <= 86_400_000, "milliseconds must be 0-86400000",
                x => x.Delay = TimeSpan.FromMilliseconds(c.Milliseconds)));
        order.MapPost("/replay", Replay);
        return controls;
    }

    private static Results<Ok<OrderNotificationsView>, ProblemHttpResult> List(string outTradeNo, string? mchid, SimulatorLedger ledger, NotificationOutbox outbox)
    {
        var (order, problem) = ControlProblems.FindOrder(ledger, outTradeNo, mchid);
        if (problem is not null)
        {
            return problem;
        }

        var deliveries = outbox.Snapshot(order!.Key).Select(s => new NotificationDeliveryView(
            s.Job.Notification.Id, s.Job.Notification.EventType, s.Job.Notification.OutRefundNo, s.Job.Notification.Url, s.Job.Origin,
            s.State, s.State == DeliveryState.Pending ? s.DueAt : null, s.Attempts)).ToList();
        return TypedResults.Ok(new OrderNotificationsView(order.MchId, order.OutTradeNo, deliveries));
    }

    private static Results<NoContent, ProblemHttpResult> Arm(
        string outTradeNo, string? mchid, SimulatorLedger ledger, NotificationOutbox outbox, bool valid, string rule, Action<OrderControls> change)
    {
        if (!valid)
        {
            return ControlProblems.Invalid(rule);
        }

        var (order, problem) = ControlProblems.FindOrder(ledger, outTradeNo, mchid);
        if (problem is not null)
        {
            return problem;
        }

        outbox.Arm(order!.Key, change);
        return TypedResults.NoContent();
    }

    private static Results<NoContent, ProblemHttpResult> Replay(
        string outTradeNo, string? mchid, ReplayCommand command, SimulatorLedger ledger, NotificationOutbox outbox, TimeProvider time)
    {
        if (command.Count is < 1 or > MaxCount)
        {
            return ControlProblems.Invalid("count must be 1-100");
        }

        var (order, problem) = ControlProblems.FindOrder(ledger, outTradeNo, mchid);
        if (problem is not null)
        {
            return problem;
        }

        return outbox.Replay(order!.Key, command.Count, command.Concurrent, time.GetUtcNow())
            ? TypedResults.NoContent()
            : ControlProblems.Problem(StatusCodes.Status409Conflict, "NO_NOTIFICATION", $"order {outTradeNo} has had no notification yet");
    }
}
