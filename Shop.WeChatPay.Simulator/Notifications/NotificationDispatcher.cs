using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using Shop.WeChatPay.Simulator.Keys;

namespace Shop.WeChatPay.Simulator.Notifications;

/// <summary>
/// Delivers due notifications: POSTs the body to the notify_url signed afresh (new timestamp and nonce on every
/// attempt, as WeChat Pay does), counts only a 2xx answer within the timeout as delivered, and lets the outbox
/// reschedule anything else. Deliveries run concurrently, so duplicates can race each other at the receiver.
/// Waiting uses the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class NotificationDispatcher(
    NotificationOutbox outbox, PlatformKeys keys, IHttpClientFactory clients, TimeProvider time, ILogger<NotificationDispatcher> logger)
    : BackgroundService
{
    public const string HttpClientName = "wechatpay-simulator-notifications";
    private const int AnswerPreviewChars = 200;
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var change = outbox.NextChange();
                var now = time.GetUtcNow();
                foreach (var job in outbox.TakeDue(now))
                {
                    Track(Task.Run(() => DeliverAsync(job, stoppingToken), CancellationToken.None));
                }

                await WaitAsync(change, outbox.NextDue() - now, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await Task.WhenAll(_running.Keys);
    }

    private async Task WaitAsync(Task change, TimeSpan? untilDue, CancellationToken stoppingToken)
    {
        if (untilDue is { } delay && delay <= TimeSpan.Zero)
        {
            return;
        }

        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var timer = untilDue is { } d ? Task.Delay(d, time, cancelDelay.Token) : Task.Delay(Timeout.Infinite, cancelDelay.Token);
        await Task.WhenAny(change, timer).WaitAsync(stoppingToken);
        await cancelDelay.CancelAsync();
    }

    private async Task DeliverAsync(NotificationJob job, CancellationToken stoppingToken)
    {
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        if (outbox.TryDrop(job))
        {
            outbox.Complete(job, new DeliveryAttempt(0, started, null, "dropped by a test control", true, 0, null), false, started);
            return;
        }

        var notification = job.Notification;
        int? status = null;
        string? error = null, answer = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, notification.Url) { Content = new ByteArrayContent(notification.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/4.0");
            PlatformKeys.Apply(keys.Sign(notification.Serial, notification.Body, time.GetUtcNow()),
                (name, value) => request.Headers.TryAddWithoutValidation(name, value));
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, stoppingToken);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(stoppingToken);
            answer = text.Length > AnswerPreviewChars ? text[..AnswerPreviewChars] : text;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            error = ex is TaskCanceledException ? "no answer within the notification timeout" : ex.Message;
        }

        var delivered = status is >= 200 and < 300;
        logger.LogInformation("{EventType} {Id} for {OutTradeNo} to {Url}: {Outcome}", notification.EventType, notification.Id,
            notification.Order.OutTradeNo, notification.Url, status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? error);
        outbox.Complete(job, new DeliveryAttempt(0, started, status, error, false, clock.Elapsed.TotalMilliseconds, answer), delivered, time.GetUtcNow());
    }

    private void Track(Task task)
    {
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }
}
