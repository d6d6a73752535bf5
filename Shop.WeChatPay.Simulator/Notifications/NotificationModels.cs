using System.Text.Json.Serialization;
using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.Notifications;

/// <summary>What to tell the merchant: the decrypted resource (a Transaction or refund record) and where to send it.</summary>
internal sealed record NotificationMessage(
    OrderKey Order, string? OutRefundNo, string Url, string EventType, string Summary, string OriginalType, object Resource);

/// <summary>A notification ready to send: its body (resource already encrypted) and the key serial to sign it with.</summary>
internal sealed record PreparedNotification(string Id, OrderKey Order, string? OutRefundNo, string EventType, string Url, byte[] Body, string Serial);

[JsonConverter(typeof(JsonStringEnumConverter<DeliveryState>))]
public enum DeliveryState
{
    Pending,
    InFlight,
    Delivered,
    Abandoned,
}

/// <summary>
/// One try to deliver: the HTTP status the notify_url answered (null when it did not answer), or why not, or that a
/// test control dropped it. <see cref="Answer"/> is the start of the receiver's body.
/// </summary>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, int? Status, string? Error, bool Dropped, double DurationMs, string? Answer);

/// <summary>The documented re-delivery intervals after a failed or missing answer; 15 retries over about 24 h 4 min.</summary>
internal static class RetrySchedule
{
    public static readonly TimeSpan[] Intervals =
    [
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(3),
        TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30),
        TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(60), TimeSpan.FromHours(3), TimeSpan.FromHours(3),
        TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(6),
    ];

    public static TimeSpan Scaled(int retry, double scale) => TimeSpan.FromTicks((long)(Intervals[retry].Ticks * scale));
}

/// <summary>
/// One delivery of a notification, with its own retry life. Duplicates and replays are further jobs with the same
/// body (the same notification id), as when WeChat Pay sends a notification twice. Mutated only under the outbox lock.
/// </summary>
internal sealed class NotificationJob(long sequence, PreparedNotification notification, string origin, NotificationJob? after, DateTimeOffset dueAt)
{
    public long Sequence { get; } = sequence;

    public PreparedNotification Notification { get; } = notification;

    /// <summary>original, duplicate or replay.</summary>
    public string Origin { get; } = origin;

    /// <summary>A sequential duplicate waits until this job has finished.</summary>
    public NotificationJob? After { get; } = after;

    public DateTimeOffset DueAt { get; set; } = dueAt;

    public int Retries { get; set; }

    public DeliveryState State { get; set; } = DeliveryState.Pending;

    public List<DeliveryAttempt> Attempts { get; } = [];

    public bool IsFinished => State is DeliveryState.Delivered or DeliveryState.Abandoned;

    public bool IsReady(DateTimeOffset now) => State == DeliveryState.Pending && DueAt <= now && After?.IsFinished != false;
}

/// <summary>Test controls armed for an order's next notification(s).</summary>
internal sealed class OrderControls
{
    public int DropNext { get; set; }

    public int Duplicates { get; set; }

    public bool ConcurrentDuplicates { get; set; }

    public TimeSpan? Delay { get; set; }
}
