using Microsoft.Extensions.Options;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.Notifications;

/// <summary>
/// Every notification delivery (pending, in flight, finished) and the controls armed per order. The dispatcher takes
/// due jobs from here and reports each attempt back; a failed attempt is rescheduled on the (scaled) documented schedule.
/// </summary>
internal sealed class NotificationOutbox(IOptions<SimulatorOptions> options)
{
    private readonly Lock _gate = new();
    private readonly List<NotificationJob> _jobs = [];
    private readonly Dictionary<OrderKey, OrderControls> _controls = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    public void Enqueue(PreparedNotification notification, DateTimeOffset now)
    {
        lock (_gate)
        {
            var controls = _controls.GetValueOrDefault(notification.Order);
            var dueAt = now + (controls?.Delay ?? TimeSpan.Zero);
            var job = Add(notification, "original", null, dueAt);
            for (var i = 0; i < (controls?.Duplicates ?? 0); i++)
            {
                job = Add(notification, "duplicate", controls!.ConcurrentDuplicates ? null : job, dueAt);
            }

            if (controls is not null)
            {
                (controls.Delay, controls.Duplicates) = (null, 0);
            }
        }

        Wake();
    }

    /// <summary>Sends the order's latest notification again, <paramref name="count"/> times; false when it has none.</summary>
    public bool Replay(OrderKey order, int count, bool concurrent, DateTimeOffset now)
    {
        lock (_gate)
        {
            var last = _jobs.LastOrDefault(j => j.Notification.Order == order && j.Origin == "original");
            if (last is null)
            {
                return false;
            }

            NotificationJob? previous = null;
            for (var i = 0; i < count; i++)
            {
                previous = Add(last.Notification, "replay", concurrent ? null : previous, now);
            }
        }

        Wake();
        return true;
    }

    public void Arm(OrderKey order, Action<OrderControls> change)
    {
        lock (_gate)
        {
            if (!_controls.TryGetValue(order, out var controls))
            {
                _controls[order] = controls = new OrderControls();
            }

            change(controls);
        }
    }

    public IReadOnlyList<NotificationJob> TakeDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = _jobs.Where(j => j.IsReady(now)).ToList();
            due.ForEach(j => j.State = DeliveryState.InFlight);
            return due;
        }
    }

    /// <summary>When the next waiting job falls due; sequential duplicates count once their predecessor finished.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (_gate)
        {
            return _jobs.Where(j => j.State == DeliveryState.Pending && j.After?.IsFinished != false)
                .Select(j => (DateTimeOffset?)j.DueAt).Min();
        }
    }

    /// <summary>Consumes one armed "drop" for the job's order: the attempt is then lost on the way.</summary>
    public bool TryDrop(NotificationJob job)
    {
        lock (_gate)
        {
            if (_controls.GetValueOrDefault(job.Notification.Order) is not { DropNext: > 0 } controls)
            {
                return false;
            }

            controls.DropNext--;
            return true;
        }
    }

    public void Complete(NotificationJob job, DeliveryAttempt attempt, bool delivered, DateTimeOffset now)
    {
        lock (_gate)
        {
            job.Attempts.Add(attempt with { Number = job.Attempts.Count + 1 });
            if (delivered)
            {
                job.State = DeliveryState.Delivered;
            }
            else if (job.Retries < RetrySchedule.Intervals.Length)
            {
                job.DueAt = now + RetrySchedule.Scaled(job.Retries, options.Value.RetryTimeScale);
                job.Retries++;
                job.State = DeliveryState.Pending;
            }
            else
            {
                job.State = DeliveryState.Abandoned;
            }
        }

        Wake();
    }

    /// <summary>Copies of the order's jobs, oldest first, safe to read outside the lock.</summary>
    public IReadOnlyList<(NotificationJob Job, DeliveryState State, DateTimeOffset DueAt, DeliveryAttempt[] Attempts)> Snapshot(OrderKey order)
    {
        lock (_gate)
        {
            return _jobs.Where(j => j.Notification.Order == order).Select(j => (j, j.State, j.DueAt, j.Attempts.ToArray())).ToList();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _jobs.Clear();
            _controls.Clear();
        }
    }

    /// <summary>A task that completes at the next change; take it BEFORE looking for due jobs so no change is missed.</summary>
    public Task NextChange()
    {
        lock (_gate)
        {
            if (_wake.Task.IsCompleted)
            {
                _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return _wake.Task;
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }

    private NotificationJob Add(PreparedNotification notification, string origin, NotificationJob? after, DateTimeOffset dueAt)
    {
        var job = new NotificationJob(++_sequence, notification, origin, after, dueAt);
        _jobs.Add(job);
        return job;
    }
}
